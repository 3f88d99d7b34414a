package dev.gevent.internal;

import dev.gevent.spi.EventLoop;
import dev.gevent.spi.LoopProvider;

/** Loop providers that cannot open a loop, for the selection tests. */
final class FakeLoopProviders {
    private FakeLoopProviders() {
    }

    /** Available, low priority. */
    public static final class Portable implements LoopProvider {
        @Override
        public String name() {
            return "fake-portable";
        }

        @Override
        public int priority() {
            return 1;
        }

        @Override
        public String unavailableReason() {
            return null;
        }

        @Override
        public EventLoop open() {
            throw new UnsupportedOperationException("selection tests never open a loop");
        }
    }

    /** Higher priority, but cannot run here. */
    public static final class Unavailable implements LoopProvider {
        static final String WHY = "needs kernel 99.0, this one is older";

        @Override
        public String name() {
            return "fake-fast";
        }

        @Override
        public int priority() {
            return 100;
        }

        @Override
        public String unavailableReason() {
            return WHY;
        }

        @Override
        public EventLoop open() {
            throw new UnsupportedOperationException("unavailable");
        }
    }
}
