package dev.gevent.examples;

/** Just enough JSON for {@link JsonApiServer}: quoting a string, and reading {"title": "..."}. */
final class Json {
    private Json() {
    }

    /** @return {@code s} as a JSON string literal */
    static String quote(String s) {
        StringBuilder q = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\r' -> q.append("\\r");
                case '\t' -> q.append("\\t");
                default -> {
                    if (c < 0x20) {
                        q.append(String.format("\\u%04x", (int) c));
                    } else {
                        q.append(c);
                    }
                }
            }
        }
        return q.append('"').toString();
    }

    /** @return the string member "title" of the JSON object {@code text} holds, or null if it is not one */
    static String titleOf(String text) {
        Reader r = new Reader(text);
        try {
            String title = null;
            r.expect('{');
            if (r.peek() != '}') {
                do {
                    String name = r.string();
                    r.expect(':');
                    if (r.peek() == '"') {
                        String value = r.string();
                        if (name.equals("title")) {
                            title = value;
                        }
                    } else {
                        r.scalar();
                    }
                } while (r.accept(','));
            }
            r.expect('}');
            r.end();
            return title;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** A cursor over JSON text; a syntax error is an IllegalArgumentException. */
    private static final class Reader {
        private final String s;
        private int i;

        Reader(String s) {
            this.s = s;
        }

        char peek() {
            skipSpace();
            if (i >= s.length()) {
                throw new IllegalArgumentException("unexpected end");
            }
            return s.charAt(i);
        }

        void expect(char c) {
            if (peek() != c) {
                throw new IllegalArgumentException("expected " + c);
            }
            i++;
        }

        boolean accept(char c) {
            skipSpace();
            if (i < s.length() && s.charAt(i) == c) {
                i++;
                return true;
            }
            return false;
        }

        void end() {
            skipSpace();
            if (i != s.length()) {
                throw new IllegalArgumentException("text after the object");
            }
        }

        /** Skips a number, true, false or null. */
        void scalar() {
            int start = i;
            while (i < s.length() && "0123456789+-.eEtruefalsn".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            if (i == start) {
                throw new IllegalArgumentException("expected a value");
            }
        }

        String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                if (i >= s.length()) {
                    throw new IllegalArgumentException("unterminated string");
                }
                char c = s.charAt(i++);
                if (c == '"') {
                    return out.toString();
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                if (i >= s.length()) {
                    throw new IllegalArgumentException("unterminated escape");
                }
                char e = s.charAt(i++);
                switch (e) {
                    case 'n' -> out.append('\n');
                    case 't' -> out.append('\t');
                    case 'r' -> out.append('\r');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'u' -> {
                        if (i + 4 > s.length()) {
                            throw new IllegalArgumentException("short \\u escape");
                        }
                        out.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> out.append(e);
                }
            }
        }

        private void skipSpace() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }
    }
}
