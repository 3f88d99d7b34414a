package dev.gevent.pool;

import dev.gevent.Greenlet;

/**
 * The members of a group by greenlet identity: open addressing with linear probing over the
 * {@link Member} entries themselves, each carrying its greenlet's identity hash. A removal shifts
 * the rest of its cluster back using those cached hashes, so it never touches another greenlet;
 * a {@link java.util.IdentityHashMap} re-hashes the greenlets of the cluster instead, which costs
 * a cache miss per neighbour when members come and go by the thousand. Like that map, it keeps
 * the largest size it reached: a pool that fills and drains all the time would otherwise resize
 * all the time. Hub thread only.
 */
final class MemberTable {
    private Member[] slots = new Member[16];
    private int size;

    static int hash(Greenlet<?> g) {
        int h = System.identityHashCode(g);
        return h ^ (h >>> 16);
    }

    /** @return the member whose greenlet is {@code g}, or null */
    Member get(Greenlet<?> g) {
        int h = hash(g);
        int mask = slots.length - 1;
        Member m;
        for (int i = h & mask; (m = slots[i]) != null; i = (i + 1) & mask) {
            if (m.greenlet == g) {
                return m;
            }
        }
        return null;
    }

    /** Adds {@code m}, whose greenlet is not in the table yet. */
    void add(Member m) {
        if (2 * (size + 1) > slots.length) {
            resize(slots.length * 2);
        }
        m.hash = hash(m.greenlet);
        place(slots, m);
        size++;
    }

    /** Removes {@code m}, which is in the table. */
    void remove(Member m) {
        int mask = slots.length - 1;
        int hole = m.hash & mask;
        while (slots[hole] != m) {
            hole = (hole + 1) & mask;
        }
        // Shift back every later entry of the cluster that may not sit past the hole.
        for (int j = (hole + 1) & mask; slots[j] != null; j = (j + 1) & mask) {
            int home = slots[j].hash & mask;
            boolean stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
            if (!stays) {
                slots[hole] = slots[j];
                hole = j;
            }
        }
        slots[hole] = null;
        size--;
    }

    private void resize(int length) {
        Member[] next = new Member[length];
        for (Member m : slots) {
            if (m != null) {
                place(next, m);
            }
        }
        slots = next;
    }

    private static void place(Member[] table, Member m) {
        int mask = table.length - 1;
        int i = m.hash & mask;
        while (table[i] != null) {
            i = (i + 1) & mask;
        }
        table[i] = m;
    }
}
