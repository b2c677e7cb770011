package dev.precis.publish;

import dev.precis.pipeline.Document;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The key under which a result may be deduplicated downstream: document id, a hash of everything
 * that shapes the summary (text, length, strategy, target language), and the pipeline version
 * (prompt set and model). A redelivered document yields the same key; an edited one a new key.
 */
public final class IdempotencyKey {

    /** Bumped whenever prompts or summarizing logic change what a summary would be. */
    public static final String PIPELINE_VERSION = "p1";

    private IdempotencyKey() {
    }

    public static String of(Document doc, String model) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {doc.text(), String.valueOf(doc.maxSummaryTokens()),
                    String.valueOf(doc.strategy()), String.valueOf(doc.targetLanguage())}) {
                sha.update(part.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            String hash = HexFormat.of().formatHex(sha.digest(), 0, 12);
            return doc.id() + ":" + hash + ":" + PIPELINE_VERSION + "/" + model;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
