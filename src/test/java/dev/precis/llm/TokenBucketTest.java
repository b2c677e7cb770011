package dev.precis.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

    @Test
    void aChargeStaysWhateverTheAnswerUsed() throws Exception {
        TokenBucket bucket = new TokenBucket(60_000, Duration.ofMinutes(1));
        assertEquals(59_400, bucket.available(), "a minute's budget less the 1% reserve, all at once");
        bucket.take(50_000);
        long left = bucket.available();
        // 1,000 tokens a second come back, whatever the answer used; nothing else does.
        assertTrue(left >= 9_400 && left < 9_400 + 1_000, "left " + left);
    }

    @Test
    void itRefillsContinuouslyAndServesTakersInOrder() throws Exception {
        // 99,000 tokens a second, at most 9,900 at once.
        TokenBucket bucket = new TokenBucket(6_000_000, Duration.ofMillis(100));
        bucket.answered(bucket.take(9_900));
        long start = System.nanoTime();
        bucket.take(4_950);
        long waitedMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(waitedMs >= 40, "half the burst takes about 50 ms to come back; waited " + waitedMs);
        assertTrue(bucket.available() < 2_000, "what came back went to the waiting taker: " + bucket.available());
    }

    @Test
    void aCallLargerThanTheBucketTakesAllOfItInsteadOfWaitingForever() throws Exception {
        TokenBucket bucket = new TokenBucket(6_000, Duration.ofMinutes(1));
        TokenBucket.Charge c = bucket.take(50_000);
        assertEquals(5_940, c.amount());
        assertTrue(bucket.available() < 10);
    }

    @Test
    void whatTheProviderSaysIsLeftLowersTheBudgetButNeverRaisesIt() throws Exception {
        TokenBucket bucket = new TokenBucket(100_000, Duration.ofMinutes(1));
        TokenBucket.Charge first = bucket.take(1_000);
        // Another client spent 20,000 before the provider counted this call.
        bucket.heard(first, 99_000 - 20_000 - 1_000);
        long left = bucket.available();
        assertTrue(left >= 78_000 && left < 78_000 + 300, "left " + left);
        bucket.heard(first, 1_000_000);
        assertTrue(bucket.available() < 78_000 + 300, "a higher figure is not trusted: " + bucket.available());
        bucket.heard(null, 100);
        assertTrue(bucket.available() < 400, "a figure for a call the bucket did not charge: " + bucket.available());
    }

    @Test
    void answersThatCrossedOnTheWayDoNotLowerTheBudget() throws Exception {
        TokenBucket bucket = new TokenBucket(100_000, Duration.ofMinutes(1));
        TokenBucket.Charge first = bucket.take(1_000);
        TokenBucket.Charge second = bucket.take(1_000);
        TokenBucket.Charge third = bucket.take(1_000);
        long before = bucket.available();
        // The third overtook the others; the first arrived next, then the second.
        bucket.heard(third, 99_000 - 1_000);
        bucket.heard(first, 99_000 - 2_000);
        bucket.heard(second, 99_000 - 3_000);
        assertTrue(bucket.available() >= before, "left " + bucket.available() + ", before " + before);
    }

    @Test
    void aCallChargedFromAFullBucketHoldsTheRefillUntilItIsAnswered() throws Exception {
        // 100,000 tokens a second: refill is visible within milliseconds.
        TokenBucket bucket = new TokenBucket(6_060_606, Duration.ofMinutes(1));
        long capacity = bucket.available();
        TokenBucket.Charge first = bucket.take(50_000);
        TokenBucket.Charge second = bucket.take(50_000);
        assertTrue(first.fromFull() && !second.fromFull());
        // The provider's bucket stays full, and gains nothing, until the first call arrives there.
        bucket.answered(second);
        Awaitility.await("no refill before the first answer").during(Duration.ofMillis(50)).atMost(Duration.ofSeconds(1))
                .until(() -> bucket.available() <= capacity - 100_000);
        bucket.answered(first);
        Awaitility.await().atMost(Duration.ofSeconds(2)).until(() -> bucket.available() > capacity - 100_000 + 1_000);
    }

    @Test
    void aLowerLimitStatedByTheProviderIsAdoptedAndAHigherOneIsNot() {
        TokenBucket bucket = new TokenBucket(100_000, Duration.ofMinutes(1));
        assertFalse(bucket.atMost(200_000));
        assertEquals(99_000, bucket.perMinute());
        assertTrue(bucket.atMost(50_000));
        assertEquals(49_500, bucket.perMinute());
        assertTrue(bucket.available() <= 49_500);
    }

    @Test
    void aGatewayWithoutAConfiguredBudgetKeepsTheLimitItsProviderStates() {
        LlmClient provider = new LlmClient() {
            @Override
            public LlmReply complete(LlmCall call) {
                ProviderSignals.current().observe(200, Map.of("x-ratelimit-limit-tokens", "30000",
                        "x-ratelimit-remaining-tokens", "29000", "x-ratelimit-limit-requests", "500")::get);
                return new LlmReply("fine", 5, 1, false);
            }

            @Override
            public String model() {
                return "m";
            }
        };
        ModelGateway gateway = new ModelGateway(provider, new ModelGateway.Limits(4, 0, 0),
                new ModelGateway.Retries(Duration.ofSeconds(1), Duration.ofMillis(1), Duration.ofSeconds(1)),
                String::length, millis -> { }, ModelGateway.Listener.NONE);
        assertEquals(0, gateway.tokensPerMinute());
        gateway.complete(new LlmCall("map", "s", "u", 10));
        assertEquals(29_700, gateway.tokensPerMinute());
        ModelGateway configured = new ModelGateway(provider, new ModelGateway.Limits(4, 90_000, 0),
                new ModelGateway.Retries(Duration.ofSeconds(1), Duration.ofMillis(1), Duration.ofSeconds(1)),
                String::length, millis -> { }, ModelGateway.Listener.NONE);
        assertEquals(89_100, configured.tokensPerMinute());
        configured.complete(new LlmCall("map", "s", "u", 10));
        assertEquals(29_700, configured.tokensPerMinute(), "a configured limit above the provider's gives way");
    }
}
