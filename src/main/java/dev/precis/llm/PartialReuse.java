package dev.precis.llm;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;

/**
 * Looks up the answer of a partial call (map, collapse) in the store before paying for it, and
 * stores every complete answer it pays for. Final calls (one-call summaries, reduce, refine,
 * translate) are not stored: they are made once per document anyway, and a refine step depends on
 * the summary so far.
 */
public final class PartialReuse implements LlmClient {

    private static final Set<String> STAGES = Set.of("map", "collapse");

    private final LlmClient delegate;
    private final PartialStore store;
    private final String promptVersion;

    public PartialReuse(LlmClient delegate, PartialStore store, String promptVersion) {
        this.delegate = delegate;
        this.store = store;
        this.promptVersion = promptVersion;
    }

    @Override
    public LlmReply complete(LlmCall call) {
        if (!STAGES.contains(call.stage())) {
            return delegate.complete(call);
        }
        String key = key(call);
        Optional<PartialStore.Partial> kept = store.find(key);
        if (kept.isPresent()) {
            return LlmReply.reused(kept.get().text());
        }
        LlmReply reply = delegate.complete(call);
        if (!reply.truncated()) {
            store.save(key, new PartialStore.Partial(reply.text(), reply.inputTokens(), reply.outputTokens()));
        }
        return reply;
    }

    String key(LlmCall call) {
        return key(delegate.model(), promptVersion, call);
    }

    /** Hash of model, prompt version, both messages and the output cap: what decides the answer. */
    public static String key(String model, String promptVersion, LlmCall call) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {model, promptVersion, call.system(), call.user(),
                    Integer.toString(call.maxOutputTokens())}) {
                sha.update(part.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @Override
    public String model() {
        return delegate.model();
    }
}
