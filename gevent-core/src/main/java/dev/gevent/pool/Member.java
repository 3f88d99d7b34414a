package dev.gevent.pool;

import dev.gevent.Greenlet;

/**
 * A greenlet's entry in a group: a node of the group's list of members, and the callback linked
 * to the greenlet that takes it out of the group when it dies. One object does both so that
 * joining a group costs one allocation. Hub thread only.
 */
class Member implements Runnable {
    static final int QUEUED = 0;
    static final int IN = 1;
    static final int OUT = 2;

    final Group group;
    Greenlet<?> greenlet;
    int state = QUEUED;
    /** The greenlet's identity hash, while the member is in its group's {@link MemberTable}. */
    int hash;
    Member prev;
    Member next;

    Member(Group group) {
        this.group = group;
    }

    Member(Group group, Greenlet<?> greenlet) {
        this.group = group;
        this.greenlet = greenlet;
    }

    /** The greenlet died: runs in the hub, as a link. */
    @Override
    public final void run() {
        group.died(this);
    }

    /**
     * Whether {@link #died()} must run even after the greenlet left the group early
     * ({@link Group#discard}): then the link stays when the member is discarded.
     */
    boolean watchesDeath() {
        return false;
    }

    /** The greenlet died; it has left the group. Hub thread. */
    void died() {
    }
}
