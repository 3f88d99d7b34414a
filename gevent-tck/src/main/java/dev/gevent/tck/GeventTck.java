package dev.gevent.tck;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a TCK class: each of its test methods runs as the main greenlet of a fresh hub on a fresh
 * platform thread (see {@link TckExtension}), with a default time limit of 30 seconds that a
 * method's own {@link Timeout} overrides.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(TckExtension.class)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public @interface GeventTck {
}
