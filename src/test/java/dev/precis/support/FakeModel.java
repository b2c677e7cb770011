package dev.precis.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@link FakeOpenAi} field of a test that runs with {@link KafkaAndModel}: the resource sets
 * it to the fake the worker calls, freshly reset for each test.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface FakeModel {
}
