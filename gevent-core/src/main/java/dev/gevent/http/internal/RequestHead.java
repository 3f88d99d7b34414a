package dev.gevent.http.internal;

/**
 * Parses an HTTP/1.x request line and header section in place, in the connection's input buffer,
 * and keeps where each part lies rather than copying it out: a handler that never looks at a header
 * costs no String. The headers that frame the message (Content-Length, Transfer-Encoding,
 * Connection, Expect, Host) are read as bytes here.
 *
 * <p>Limits: a request line over {@link #MAX_REQUEST_LINE} bytes is 414; a header section over
 * {@link #MAX_HEADER_BYTES} bytes or {@link #MAX_HEADERS} fields is 431; anything that is not
 * RFC 9112 syntax is 400, an HTTP version other than 1.0 or 1.1 is 505, a transfer coding other
 * than chunked is 501, an expectation other than 100-continue is 417. Leading empty lines are
 * skipped and a bare LF ends a line, as RFC 9112 allows a server to accept.
 */
final class RequestHead {
    static final int MAX_REQUEST_LINE = 8 * 1024;
    static final int MAX_HEADER_BYTES = 64 * 1024;
    static final int MAX_HEADERS = 100;
    /** What {@link #parse} returns while the head is not complete. */
    static final int INCOMPLETE = -1;

    private static final boolean[] TOKEN = new boolean[256];
    private static final boolean[] TARGET = new boolean[256];
    private static final boolean[] VALUE = new boolean[256];

    static {
        for (char c = '0'; c <= '9'; c++) {
            TOKEN[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TOKEN[c] = true;
            TOKEN[c - 32] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TOKEN[c] = true;
        }
        // RFC 3986 unreserved, reserved and '%': what a request-target may hold
        System.arraycopy(TOKEN, 0, TARGET, 0, 256);
        for (char c : ":/?#[]@!$&'()*+,;=-._~%".toCharArray()) {
            TARGET[c] = true;
        }
        TARGET['^'] = false;
        TARGET['`'] = false;
        TARGET['|'] = false;
        VALUE['\t'] = true;
        for (int c = 0x20; c < 256; c++) {
            VALUE[c] = c != 0x7F;
        }
    }

    /** The parts, as offsets into the buffer given to {@link #parse}. */
    int methodStart;
    int methodEnd;
    int targetStart;
    int targetEnd;
    /** Length of the path part of the target: up to '?' or its end. */
    int pathEnd;
    /** 0 for HTTP/1.0, 1 for HTTP/1.1. */
    int minorVersion;
    int headerCount;
    /** Per field: name start, name end, value start, value end (trimmed). */
    int[] fields = new int[MAX_HEADERS * 4];

    /** -1: none; else the declared Content-Length. */
    long contentLength;
    boolean chunked;
    boolean connectionClose;
    boolean connectionKeepAlive;
    boolean expectContinue;
    private boolean host;

    /**
     * Parses the head that starts at {@code from}.
     *
     * @return the index just past the head's final empty line, or {@link #INCOMPLETE}
     * @throws HttpError if what is there already breaks the syntax or a limit
     */
    int parse(byte[] b, int from, int to) throws HttpError {
        int p = from;
        while (p < to && (b[p] == '\r' || b[p] == '\n')) {
            p++;
        }
        int lineEnd = indexOfLf(b, p, Math.min(to, p + MAX_REQUEST_LINE + 1));
        if (lineEnd < 0) {
            if (to - p > MAX_REQUEST_LINE) {
                throw new HttpError(414, "request line over " + MAX_REQUEST_LINE + " bytes");
            }
            return INCOMPLETE;
        }
        int headStart = p;
        // Look for the end of the head before parsing anything, so that a head that arrives in
        // pieces is parsed once.
        int end = endOfHead(b, lineEnd, to, headStart);
        if (end == INCOMPLETE) {
            return INCOMPLETE;
        }
        parseRequestLine(b, p, trimCr(b, p, lineEnd));
        reset();
        p = lineEnd + 1;
        while (true) {
            int eol = indexOfLf(b, p, end);
            int contentEnd = trimCr(b, p, eol);
            if (contentEnd == p) {
                break;
            }
            parseField(b, p, contentEnd);
            p = eol + 1;
        }
        if (minorVersion == 1 && !host) {
            throw new HttpError(400, "an HTTP/1.1 request without a Host header");
        }
        if (chunked && contentLength >= 0) {
            throw new HttpError(400, "both Content-Length and Transfer-Encoding");
        }
        return end;
    }

    private void reset() {
        headerCount = 0;
        contentLength = -1;
        chunked = false;
        connectionClose = false;
        connectionKeepAlive = false;
        expectContinue = false;
        host = false;
    }

    /** @return past the empty line that ends the head, or INCOMPLETE; 431 once past the limit */
    private static int endOfHead(byte[] b, int lineEnd, int to, int headStart) throws HttpError {
        int limit = Math.min(to, headStart + MAX_HEADER_BYTES);
        int p = lineEnd + 1;
        while (true) {
            if (p < limit && b[p] == '\n') {
                return p + 1;
            }
            if (p + 1 < limit && b[p] == '\r' && b[p + 1] == '\n') {
                return p + 2;
            }
            int eol = indexOfLf(b, p, limit);
            if (eol < 0) {
                if (to - headStart >= MAX_HEADER_BYTES) {
                    throw new HttpError(431, "header section over " + MAX_HEADER_BYTES + " bytes");
                }
                return INCOMPLETE;
            }
            p = eol + 1;
        }
    }

    private void parseRequestLine(byte[] b, int p, int end) throws HttpError {
        int sp1 = p;
        while (sp1 < end && TOKEN[b[sp1] & 0xFF]) {
            sp1++;
        }
        if (sp1 == p || sp1 >= end || b[sp1] != ' ') {
            throw new HttpError(400, "malformed request line: the method must be a token followed by one space");
        }
        methodStart = p;
        methodEnd = sp1;
        int t = sp1 + 1;
        int q = t;
        int path = -1;
        while (q < end && TARGET[b[q] & 0xFF]) {
            if (b[q] == '?' && path < 0) {
                path = q;
            }
            q++;
        }
        if (q == t || q >= end || b[q] != ' ') {
            throw new HttpError(400, "malformed request line: the target must be a URI followed by one space");
        }
        targetStart = t;
        targetEnd = q;
        pathEnd = path < 0 ? q : path;
        checkTargetForm(b, t, q);
        int v = q + 1;
        if (end - v != 8 || b[v] != 'H' || b[v + 1] != 'T' || b[v + 2] != 'T' || b[v + 3] != 'P' || b[v + 4] != '/'
                || !isDigit(b[v + 5]) || b[v + 6] != '.' || !isDigit(b[v + 7])) {
            throw new HttpError(400, "malformed request line: expected HTTP/1.1 or HTTP/1.0 at its end");
        }
        if (b[v + 5] != '1' || (b[v + 7] != '0' && b[v + 7] != '1')) {
            throw new HttpError(505, "HTTP version " + (char) b[v + 5] + "." + (char) b[v + 7] + " is not supported");
        }
        minorVersion = b[v + 7] - '0';
    }

    /** Origin form ("/path?query"), absolute form ("scheme://..."), "*"; and every '%' followed by two hex digits. */
    private static void checkTargetForm(byte[] b, int t, int end) throws HttpError {
        byte first = b[t];
        if (first == '*') {
            if (end - t != 1) {
                throw new HttpError(400, "malformed request target: '*' stands alone");
            }
        } else if (first != '/') {
            int colon = t;
            while (colon < end && isSchemeChar(b[colon])) {
                colon++;
            }
            if (colon == t || colon + 2 >= end || b[colon] != ':' || b[colon + 1] != '/' || b[colon + 2] != '/'
                    || !isAlpha(first)) {
                throw new HttpError(400, "malformed request target: expected /path or an absolute URI");
            }
        }
        for (int i = t; i < end; i++) {
            if (b[i] == '%' && (i + 2 >= end || hex(b[i + 1]) < 0 || hex(b[i + 2]) < 0)) {
                throw new HttpError(400, "malformed request target: '%' must be followed by two hex digits");
            }
        }
    }

    private void parseField(byte[] b, int p, int end) throws HttpError {
        if (headerCount == MAX_HEADERS) {
            throw new HttpError(431, "more than " + MAX_HEADERS + " header fields");
        }
        int n = p;
        while (n < end && TOKEN[b[n] & 0xFF]) {
            n++;
        }
        if (n == p) {
            throw new HttpError(400, b[p] == ' ' || b[p] == '\t'
                    ? "obsolete line folding in a header field" : "malformed header field: no name");
        }
        if (n >= end || b[n] != ':') {
            throw new HttpError(400, "malformed header field: its name must be a token followed by ':'");
        }
        int vs = n + 1;
        while (vs < end && (b[vs] == ' ' || b[vs] == '\t')) {
            vs++;
        }
        int ve = end;
        while (ve > vs && (b[ve - 1] == ' ' || b[ve - 1] == '\t')) {
            ve--;
        }
        for (int i = vs; i < ve; i++) {
            if (!VALUE[b[i] & 0xFF]) {
                throw new HttpError(400, "malformed header field: a control character in its value");
            }
        }
        int[] f = fields;
        int k = headerCount * 4;
        f[k] = p;
        f[k + 1] = n;
        f[k + 2] = vs;
        f[k + 3] = ve;
        headerCount++;
        noteFramingField(b, p, n, vs, ve);
    }

    private void noteFramingField(byte[] b, int ns, int ne, int vs, int ve) throws HttpError {
        int len = ne - ns;
        if (len == 14 && equalsIgnoreCase(b, ns, "content-length")) {
            long n = parseLength(b, vs, ve);
            if (contentLength >= 0 && contentLength != n) {
                throw new HttpError(400, "two different Content-Length values");
            }
            contentLength = n;
        } else if (len == 17 && equalsIgnoreCase(b, ns, "transfer-encoding")) {
            if (chunked) {
                throw new HttpError(400, "a transfer coding after chunked");
            }
            if (ve - vs != 7 || !equalsIgnoreCase(b, vs, "chunked")) {
                throw new HttpError(501, "transfer coding not supported (only chunked is)");
            }
            chunked = true;
        } else if (len == 10 && equalsIgnoreCase(b, ns, "connection")) {
            noteConnectionTokens(b, vs, ve);
        } else if (len == 6 && equalsIgnoreCase(b, ns, "expect")) {
            if (ve - vs != 12 || !equalsIgnoreCase(b, vs, "100-continue")) {
                throw new HttpError(417, "only the expectation 100-continue is supported");
            }
            expectContinue = true;
        } else if (len == 4 && equalsIgnoreCase(b, ns, "host")) {
            if (host) {
                throw new HttpError(400, "two Host header fields");
            }
            host = true;
        }
    }

    private void noteConnectionTokens(byte[] b, int vs, int ve) {
        int i = vs;
        while (i < ve) {
            while (i < ve && (b[i] == ' ' || b[i] == '\t' || b[i] == ',')) {
                i++;
            }
            int s = i;
            while (i < ve && b[i] != ',' && b[i] != ' ' && b[i] != '\t') {
                i++;
            }
            if (i - s == 5 && equalsIgnoreCase(b, s, "close")) {
                connectionClose = true;
            } else if (i - s == 10 && equalsIgnoreCase(b, s, "keep-alive")) {
                connectionKeepAlive = true;
            }
        }
    }

    private static long parseLength(byte[] b, int vs, int ve) throws HttpError {
        if (vs == ve || ve - vs > 18) {
            throw new HttpError(400, "malformed Content-Length: expected 1 to 18 digits");
        }
        long n = 0;
        for (int i = vs; i < ve; i++) {
            if (!isDigit(b[i])) {
                throw new HttpError(400, "malformed Content-Length: expected digits only");
            }
            n = n * 10 + (b[i] - '0');
        }
        return n;
    }

    /** @return whether the name of field {@code i} is {@code lowerName}, ignoring case */
    boolean fieldNameIs(byte[] b, int i, String lowerName) {
        int s = fields[i * 4];
        return fields[i * 4 + 1] - s == lowerName.length() && equalsIgnoreCase(b, s, lowerName);
    }

    /** @return whether the method is {@code method} (exact: methods are case-sensitive) */
    boolean methodIs(byte[] b, String method) {
        if (methodEnd - methodStart != method.length()) {
            return false;
        }
        for (int i = 0; i < method.length(); i++) {
            if (b[methodStart + i] != method.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    static boolean equalsIgnoreCase(byte[] b, int at, String lower) {
        for (int i = 0; i < lower.length(); i++) {
            int c = b[at + i];
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            if (c != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    static int indexOfLf(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static int trimCr(byte[] b, int start, int lf) {
        return lf > start && b[lf - 1] == '\r' ? lf - 1 : lf;
    }

    static int hex(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAlpha(byte c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isSchemeChar(byte c) {
        return isAlpha(c) || isDigit(c) || c == '+' || c == '-' || c == '.';
    }
}
