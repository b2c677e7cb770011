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

    // A digest per thread: looking one up in the security providers costs more than hashing a page.
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    });

    private IdempotencyKey() {
    }

    public static String of(Document doc, String model) {
        return contentPart(doc) + PIPELINE_VERSION + "/" + model;
    }

    /**
     * The key up to the pipeline version: id and content hash, then a colon. Two results with the
     * same content part summarize the same document with the same options, whatever the model.
     */
    public static String contentPart(Document doc) {
        MessageDigest sha = SHA_256.get();
        sha.reset();
        for (String part : new String[] {doc.text(), String.valueOf(doc.maxSummaryTokens()),
                String.valueOf(doc.strategy()), String.valueOf(doc.targetLanguage())}) {
            sha.update(part.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
        }
        return doc.id() + ":" + HexFormat.of().formatHex(sha.digest(), 0, 12) + ":";
    }
}
