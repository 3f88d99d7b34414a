package dev.gevent.internal;

import java.time.Duration;
import java.util.Locale;

/** Configuration: a system property, else an environment variable. Internal API. */
public final class Config {
    private Config() {
    }

    /**
     * @param property the system property, e.g. {@code gevent.loop}
     * @param env the environment variable, e.g. {@code GEVENT_LOOP}
     * @return the value, trimmed, or null if neither is set
     */
    public static String get(String property, String env) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            v = System.getenv(env);
        }
        return v == null || v.isBlank() ? null : v.trim();
    }

    /**
     * Parses a duration written as seconds ("0.005", gevent's unit), with a unit ("5ms", "200us",
     * "1s") or in ISO-8601 ("PT0.005S").
     *
     * @param name the setting's name, for the error message
     * @param text the value
     * @return the duration
     * @throws IllegalArgumentException if it cannot be parsed or is not positive
     */
    public static Duration parseDuration(String name, String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Duration d;
        try {
            if (t.startsWith("pt")) {
                d = Duration.parse(text.trim());
            } else if (t.endsWith("ms")) {
                d = Duration.ofNanos(Math.round(Double.parseDouble(t.substring(0, t.length() - 2)) * 1e6));
            } else if (t.endsWith("us")) {
                d = Duration.ofNanos(Math.round(Double.parseDouble(t.substring(0, t.length() - 2)) * 1e3));
            } else if (t.endsWith("s")) {
                d = Duration.ofNanos(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1e9));
            } else {
                d = Duration.ofNanos(Math.round(Double.parseDouble(t) * 1e9));
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(name + "=" + text + ": expected a duration such as 0.005 (seconds), 5ms or PT0.005S", e);
        }
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + "=" + text + ": must be positive");
        }
        return d;
    }
}
