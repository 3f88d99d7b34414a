package dev.gevent.tck.http;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Reads HTTP/1.1 responses off a byte stream, strictly, as a test client must. */
final class Wire {
    /** One response: its status, its header fields (names lower-cased; the last value of each), its body. */
    record Response(int status, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private Wire() {
    }

    /**
     * @param in the stream (buffered by the caller)
     * @param headRequest whether the request was HEAD: no body follows whatever the headers say
     * @return the next response, or null if the stream ended cleanly before one began
     */
    static Response read(InputStream in, boolean headRequest) throws IOException {
        String statusLine = line(in, true);
        if (statusLine == null) {
            return null;
        }
        if (!statusLine.startsWith("HTTP/1.1 ") || statusLine.length() < 12) {
            throw new IOException("malformed status line: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        Map<String, String> headers = new LinkedHashMap<>();
        String field;
        while (!(field = line(in, false)).isEmpty()) {
            int colon = field.indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed header field: " + field);
            }
            headers.put(field.substring(0, colon).toLowerCase(Locale.ROOT), field.substring(colon + 1).strip());
        }
        byte[] body;
        String length = headers.get("content-length");
        if (headRequest || status < 200 || status == 204 || status == 304) {
            body = new byte[0];
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = chunked(in);
        } else if (length != null) {
            body = in.readNBytes(Integer.parseInt(length));
            if (body.length != Integer.parseInt(length)) {
                throw new EOFException("body ended after " + body.length + " of " + length + " bytes");
            }
        } else {
            body = in.readAllBytes();
        }
        return new Response(status, headers, body);
    }

    private static byte[] chunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line(in, false);
            int size = Integer.parseInt(sizeLine.split(";")[0].strip(), 16);
            if (size == 0) {
                while (!line(in, false).isEmpty()) {
                    // trailers
                }
                return body.toByteArray();
            }
            byte[] chunk = in.readNBytes(size);
            if (chunk.length != size) {
                throw new EOFException("chunk ended early");
            }
            body.write(chunk);
            if (!line(in, false).isEmpty()) {
                throw new IOException("chunk not followed by CRLF");
            }
        }
    }

    /** @return a CRLF-terminated line without its CRLF; null at a clean end if {@code endOk} */
    private static String line(InputStream in, boolean endOk) throws IOException {
        StringBuilder s = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) {
                if (endOk && s.isEmpty()) {
                    return null;
                }
                throw new EOFException("stream ended in a line: " + s);
            }
            if (c == '\n') {
                if (s.isEmpty() || s.charAt(s.length() - 1) != '\r') {
                    throw new IOException("bare LF in a response line: " + s);
                }
                return s.substring(0, s.length() - 1);
            }
            s.append((char) c);
        }
    }
}
