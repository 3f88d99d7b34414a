package dev.gevent.http.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The "Date: ...\r\n" header line (RFC 9110 IMF-fixdate), formatted once per second and shared by
 * every connection of every hub: a response copies the bytes.
 */
final class HttpDate {
    private record Stamp(long second, byte[] line) {
    }

    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private static volatile Stamp current = format(System.currentTimeMillis() / 1000);

    private HttpDate() {
    }

    /** @return the header line for now; do not modify */
    static byte[] line() {
        long second = System.currentTimeMillis() / 1000;
        Stamp s = current;
        if (s.second != second) {
            s = format(second);
            current = s;
        }
        return s.line;
    }

    private static Stamp format(long second) {
        String date = IMF_FIXDATE.format(Instant.ofEpochSecond(second));
        return new Stamp(second, ("Date: " + date + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    }
}
