package dev.gevent.tck.loop;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Text to and from buffers, for readable assertions. */
final class Bytes {
    private Bytes() {
    }

    static ByteBuffer of(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    /** @return the remaining bytes of {@code buffer} as text, leaving its position alone */
    static String text(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
