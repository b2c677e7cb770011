package dev.precis.llm;

import dev.precis.chunking.ModelProfile;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The context window a model's server really serves and how its tokenizer counts, as far as the
 * worker has learned them: the smallest of the configured window, what the server said when asked
 * ({@link ModelServer#discover()}) and what its refusals and truncations revealed; and, per family of
 * writing, the ratio of the server's prompt counts to the local count. Requests are sized with it,
 * and every answer's reported prompt tokens are checked against it for silent truncation.
 */
public final class ServerWindow {

    private static final Logger LOG = Logger.getLogger(ServerWindow.class);
    private static final double SAFETY = TokenRatios.SAFETY;
    private static final double WORST_RATIO = 2.5;
    private static final long PROBE_WAIT_SECONDS = 30;

    /** What an answer's reported prompt tokens say about the prompt it was given. */
    public enum Check { WHOLE, TRUNCATED, UNCHECKED }

    private final ModelProfile configured;
    private final ModelServer server;
    private final boolean exactTokenizer;
    private final AtomicInteger extraMargin = new AtomicInteger();
    private final TokenRatios ratios;
    private final AtomicLong refusedCalls = new AtomicLong();
    private final AtomicLong truncatedCalls = new AtomicLong();
    private volatile boolean ready;
    private final Discovery discovery;
    private volatile int learnedWindow = Integer.MAX_VALUE;
    private volatile int largestAccepted;
    // True once the server has given its window in numbers (asked, in a refusal, or by what it read).
    private volatile boolean windowSaid;
    private final Semaphore probe = new Semaphore(1, true);

    /**
     * @param exactTokenizer the local count is the provider's own (OpenAI's encodings): no ratio
     *     is learned and no call waits for calibration
     */
    public ServerWindow(ModelProfile configured, ModelServer server, boolean exactTokenizer) {
        this.configured = configured;
        this.server = server;
        this.exactTokenizer = exactTokenizer;
        this.ratios = new TokenRatios(exactTokenizer);
        this.discovery = new Discovery(configured, server);
    }

    /** A window for a model whose local count is exact and whose server is not asked. */
    public static ServerWindow fixed(ModelProfile profile) {
        return new ServerWindow(profile, ModelServer.NONE, true);
    }

    public ModelProfile configured() {
        return configured;
    }

    /** The window requests are sized for now; asks the server first, once. */
    public int contextWindow() {
        if (!ready) {
            synchronized (this) {
                if (!ready) {
                    ask("first use");
                    ready = true;
                }
            }
        }
        return currentWindow();
    }

    /** The window in force, without asking the server (for metrics and health). */
    public int currentWindow() {
        ModelServer.Discovered d = discovery.found();
        int window = Math.min(configured.contextWindow(), learnedWindow);
        return d != null && d.window() > 0 ? Math.min(window, d.window()) : window;
    }

    /** Prompt tokens, as the server counts them, a request may hold when it reserves {@code reservedOutput}. */
    public int serverBudget(int reservedOutput) {
        return contextWindow() - configured.marginTokens() - Math.min(reservedOutput, configured.maxOutputTokens())
                - extraMargin.get();
    }

    /** Local tokens of text a prompt with {@code overhead} local tokens of scaffolding may carry. */
    public int textBudget(int reservedOutput, int overhead, String sample) {
        return (int) Math.floor(serverBudget(reservedOutput) / ratio(sample)) - overhead;
    }

    /** True when a prompt of {@code localTokens} (whose material is {@code text}) fits as the server counts. */
    public boolean fits(int localTokens, String text, int reservedOutput) {
        return localTokens * ratio(text) <= serverBudget(reservedOutput);
    }

    /** Server tokens per local token to size {@code text} with: the largest seen for its families, plus headroom. */
    public double ratio(String text) {
        return ratios.sizing(text);
    }

    /**
     * Before a call: while nothing has shown how the server counts this family of writing, a call
     * that could overflow on a tokenizer up to 2.5 times the local count goes alone, first asking the
     * server to count it where the server can; while the server has not said its window, a call
     * larger than any it has accepted goes alone too. The calls waiting behind are then sized with
     * what it taught. Close the probe when the call is over.
     */
    public Probe probe(String system, String user, int localTokens, int textTokens, String text, int reservedOutput) {
        if (exactTokenizer) {
            return Probe.NONE;
        }
        // One probe at a time: what it teaches (a ratio, a window) may resize every call behind it.
        if (!unknownFamily(text, localTokens, reservedOutput) && !unknownWindow(localTokens, text)) {
            if (localTokens * ratio(text) > 0.92 * serverBudget(reservedOutput)) {
                countOnServer(system, user, localTokens, textTokens, text);
            }
            return Probe.NONE;
        }
        // Bounded: a probe stuck in retries (a 503 storm) must not hold every other call for long.
        if (!acquire(PROBE_WAIT_SECONDS)) {
            return Probe.NONE;
        }
        if (!unknownFamily(text, localTokens, reservedOutput) && !unknownWindow(localTokens, text)) {
            probe.release();
            return Probe.NONE;
        }
        countOnServer(system, user, localTokens, textTokens, text);
        return probe::release;
    }

    private boolean unknownFamily(String text, int localTokens, int reservedOutput) {
        return !ratios.calibrated(text) && localTokens * WORST_RATIO > serverBudget(reservedOutput);
    }

    private boolean unknownWindow(int localTokens, String text) {
        // No server is run with a window under 2048 tokens, so a prompt of 1,536 fits whatever it says.
        return discovery.found() == null && !windowSaid && localTokens * ratio(text) > Math.max(1536, largestAccepted * 1.1);
    }

    private boolean acquire(long seconds) {
        try {
            return probe.tryAcquire(seconds, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void countOnServer(String system, String user, int localTokens, int textTokens, String text) {
        int counted = server.count(system, user);
        if (counted > 0) {
            ratios.learn(localTokens, textTokens, text, counted);
        }
    }

    /** A call that may hold others back until it is over. */
    public interface Probe extends AutoCloseable {
        Probe NONE = () -> { };

        @Override
        void close();
    }

    /** Checks an answer's reported prompt tokens against what was sent, and learns the ratio from a whole one. */
    public Check answered(int localTokens, int textTokens, String text, int reportedPrompt) {
        if (reportedPrompt <= 0) {
            return Check.UNCHECKED;
        }
        double expected = localTokens * ratio(text) / SAFETY;
        if (ratios.truncated(localTokens, text, reportedPrompt, discovery.found() != null)) {
            truncatedCalls.incrementAndGet();
            int before = currentWindow();
            ask("a truncated prompt");
            if (currentWindow() >= before) {
                // The server kept only this much: a window no larger than that is safe.
                learnedWindow = Math.min(learnedWindow, Math.max(reportedPrompt, before / 4));
            }
            windowSaid = true;
            LOG.warnf("Model %s: the server read only %d of about %d prompt tokens (silent truncation); "
                    + "the answer is discarded and requests are now sized for %d tokens",
                    configured.model(), reportedPrompt, Math.round(expected), currentWindow());
            return Check.TRUNCATED;
        }
        ratios.learn(localTokens, textTokens, text, reportedPrompt);
        largestAccepted = Math.max(largestAccepted, reportedPrompt);
        return Check.WHOLE;
    }

    /**
     * The server refused a prompt as too long: learns its window and its count from the numbers it
     * gave. Without numbers, an open server's window is taken as 30% under that prompt; an exact
     * tokenizer's margin is widened instead (once per margin value, however many concurrent calls
     * were refused against it).
     */
    public void refused(int localTokens, int textTokens, String text, ContextRefusal refusal, int sizedWithMargin) {
        refusedCalls.incrementAndGet();
        ContextRefusal r = refusal == null ? new ContextRefusal(-1, -1, "") : refusal;
        if (r.window() > 0) {
            learnedWindow = Math.min(learnedWindow, r.window());
            windowSaid = true;
        }
        if (r.promptTokens() > 0 && !exactTokenizer) {
            ratios.learn(localTokens, textTokens, text, r.promptTokens());
        }
        if (r.window() <= 0 && r.promptTokens() <= 0) {
            if (exactTokenizer) {
                int step = Math.max(configured.contextWindow() / 20, sizedWithMargin / 2);
                extraMargin.accumulateAndGet(sizedWithMargin, (current, s) -> current > s ? current : s + step);
            } else {
                // No numbers: the window is smaller than this prompt; 30% less converges in one or two more.
                learnedWindow = Math.min(learnedWindow, Math.max(256, (int) (localTokens * ratio(text) / SAFETY * 0.7)));
            }
        }
        ask("a refusal");
        LOG.infof("Model %s: the server refused a prompt of about %d tokens as over its window (%s); requests are now "
                + "sized for a %d-token window", configured.model(), Math.round(localTokens * ratio(text) / SAFETY),
                r.message().isEmpty() ? "no details" : r.message(), currentWindow());
    }

    /** The extra margin in force now (widened by refusals that gave no numbers). */
    public int margin() {
        return extraMargin.get();
    }

    public long refusedCalls() {
        return refusedCalls.get();
    }

    public long truncatedCalls() {
        return truncatedCalls.get();
    }

    /** One line for the readiness check's data. */
    public String describe() {
        ModelServer.Discovered d = discovery.found();
        String source = d == null ? "configured" : d.server() + " reports " + d.window()
                + (d.trainedWindow() > 0 ? " (trained " + d.trainedWindow() + ")" : "");
        return currentWindow() + " tokens; configured " + configured.contextWindow() + "; " + source
                + (learnedWindow < Integer.MAX_VALUE ? "; learned " + learnedWindow : "")
                + "; refused " + refusedCalls.get() + ", truncated " + truncatedCalls.get();
    }

    private void ask(String why) {
        discovery.ask(why, this::currentWindow);
    }
}
