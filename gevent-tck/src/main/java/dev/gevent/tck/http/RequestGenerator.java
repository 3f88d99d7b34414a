package dev.gevent.tck.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Random valid HTTP/1.1 requests (and HTTP/1.0 ones that ask for keep-alive), and mutations of
 * them. Each valid request is echoed by {@link #ECHO}'s rule: the response body is the method, the
 * target and the request body.
 */
final class RequestGenerator {
    private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "X-CUSTOM"};
    private static final String PATH_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@";
    private static final String TOKEN_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-.^_`|~";

    /** A request and the response body the echo handler gives it. */
    record Request(byte[] bytes, String expectedBody, boolean head, boolean last) {
    }

    private final Random random;

    RequestGenerator(long seed) {
        random = new Random(seed);
    }

    Random random() {
        return random;
    }

    Request valid(boolean last) {
        String method = METHODS[random.nextInt(METHODS.length)];
        StringBuilder target = new StringBuilder("/");
        int segments = random.nextInt(4);
        for (int s = 0; s < segments; s++) {
            if (s > 0) {
                target.append('/');
            }
            // java.net.URI reads a target starting "//" as an authority, and the JDK's server and this
            // one answer 400 where it refuses one: the first of several segments is not empty
            int len = (s == 0 && segments > 1 ? 1 : 0) + random.nextInt(12);
            for (int i = 0; i < len; i++) {
                if (random.nextInt(20) == 0) {
                    target.append('%').append("0123456789ABCDEF".charAt(random.nextInt(16))).append("0123456789abcdef".charAt(random.nextInt(16)));
                } else {
                    target.append(PATH_CHARS.charAt(random.nextInt(PATH_CHARS.length())));
                }
            }
        }
        if (random.nextInt(3) == 0) {
            target.append("?q=").append(random.nextInt(1000)).append("&r=x%20y");
        }
        boolean http10 = random.nextInt(10) == 0;
        StringBuilder head = new StringBuilder(method).append(' ').append(target).append(http10 ? " HTTP/1.0\r\n" : " HTTP/1.1\r\n");
        if (!http10 || random.nextBoolean()) {
            head.append(random.nextBoolean() ? "Host" : "host").append(": example.test:").append(random.nextInt(65536)).append("\r\n");
        }
        int extra = random.nextInt(8);
        for (int i = 0; i < extra; i++) {
            head.append("X-").append(token(1 + random.nextInt(10))).append(':').append(random.nextBoolean() ? " " : "")
                    .append(value(random.nextInt(40))).append(random.nextBoolean() ? "\t" : "").append("\r\n");
        }
        if (http10) {
            head.append("Connection: keep-alive\r\n");
        } else if (last && random.nextBoolean()) {
            head.append("Connection: close\r\n");
        }
        byte[] body = new byte[random.nextInt(4) == 0 ? random.nextInt(3000) : random.nextInt(40)];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) ('a' + random.nextInt(26));
        }
        boolean canChunk = !http10;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (body.length > 0 && canChunk && random.nextBoolean()) {
            head.append("Transfer-Encoding: chunked\r\n\r\n");
            out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            int p = 0;
            while (p < body.length) {
                int n = 1 + random.nextInt(Math.min(body.length - p, 700));
                String size = Integer.toHexString(n);
                out.writeBytes((random.nextBoolean() ? size.toUpperCase() : size).getBytes(StandardCharsets.ISO_8859_1));
                if (random.nextInt(5) == 0) {
                    out.writeBytes(";ext=v".getBytes(StandardCharsets.ISO_8859_1));
                }
                out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.write(body, p, n);
                out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                p += n;
            }
            out.writeBytes((random.nextInt(4) == 0 ? "0\r\nX-Trailer: t\r\n\r\n" : "0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        } else {
            if (body.length > 0 || random.nextInt(4) == 0) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("\r\n");
            out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(body);
        }
        String expected = method + " " + target + " " + new String(body, StandardCharsets.ISO_8859_1);
        return new Request(out.toByteArray(), expected, method.equals("HEAD"), last);
    }

    /** @return {@code bytes} with one to four random edits: flips, insertions, deletions, repeats, cuts */
    byte[] mutate(byte[] bytes) {
        byte[] b = bytes;
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits && b.length > 0; e++) {
            int at = random.nextInt(b.length);
            switch (random.nextInt(7)) {
                case 0 -> b[at] = (byte) random.nextInt(256);
                case 1 -> b[at] = (byte) "\r\n :;\t0%".charAt(random.nextInt(8));
                case 2 -> b = splice(b, at, 0, new byte[] {(byte) random.nextInt(256)});
                case 3 -> b = splice(b, at, Math.min(b.length - at, 1 + random.nextInt(8)), new byte[0]);
                case 4 -> {
                    int len = Math.min(b.length - at, 1 + random.nextInt(40));
                    byte[] copy = java.util.Arrays.copyOfRange(b, at, at + len);
                    b = splice(b, at, 0, copy);
                }
                case 5 -> b = java.util.Arrays.copyOf(b, at);
                default -> b = splice(b, at, 0, "\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
        }
        return b;
    }

    private static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
        byte[] r = new byte[b.length - remove + insert.length];
        System.arraycopy(b, 0, r, 0, at);
        System.arraycopy(insert, 0, r, at, insert.length);
        System.arraycopy(b, at + remove, r, at + insert.length, b.length - at - remove);
        return r;
    }

    /** @return ascending offsets splitting {@code length} bytes into random reads */
    int[] splits(int length) {
        int pieces = random.nextInt(4) == 0 ? 1 + random.nextInt(Math.max(1, Math.min(length, 40))) : 1;
        int[] ends = new int[pieces];
        for (int i = 0; i < pieces - 1; i++) {
            ends[i] = random.nextInt(length + 1);
        }
        ends[pieces - 1] = length;
        java.util.Arrays.sort(ends);
        return ends;
    }

    private String token(int len) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < len; i++) {
            s.append(TOKEN_CHARS.charAt(random.nextInt(TOKEN_CHARS.length())));
        }
        return s.toString();
    }

    private String value(int len) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < len; i++) {
            s.append((char) (0x20 + random.nextInt(0x7F - 0x20)));
        }
        return s.toString().strip();
    }
}
