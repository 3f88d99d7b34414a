package dev.gevent.tck.soak;

/**
 * How a client of the {@link EchoSoak} behaves. Its first byte on each connection is its
 * {@link #tag()}, which the server reads to tell whose connection failed.
 */
public enum Kind {
    /** Echoes messages of random sizes, checks each, ends the connection cleanly at the deadline. */
    WELL_BEHAVED('W'),
    /** A few messages, then ends its output and reads the rest of the echo to its end. */
    HALF_CLOSE('H'),
    /** Sends a message, may read part of the echo, then resets the connection. */
    RESET('R'),
    /** Pauses in the middle of a message and before reading its echo. */
    STALL('S');

    private static final Kind[] MISBEHAVING = {RESET, HALF_CLOSE, STALL};
    private final byte tag;

    Kind(char tag) {
        this.tag = (byte) tag;
    }

    byte tag() {
        return tag;
    }

    /**
     * @param index the client's number
     * @param misbehavingShare the share of clients that misbehave, spread evenly
     * @return the kind of client {@code index}: the misbehaving ones take turns among the three kinds
     */
    static Kind of(int index, double misbehavingShare) {
        long before = (long) Math.floor(index * misbehavingShare);
        long after = (long) Math.floor((index + 1) * misbehavingShare);
        return after > before ? MISBEHAVING[(int) (before % MISBEHAVING.length)] : WELL_BEHAVED;
    }

    /** @return the kind whose tag is {@code b}, or null */
    static Kind ofTag(byte b) {
        for (Kind k : values()) {
            if (k.tag == b) {
                return k;
            }
        }
        return null;
    }
}
