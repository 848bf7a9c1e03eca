package dev.greenlight.local.host;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One parsed route template, as the Functions host reads {@code route} (ASP.NET Core template
 * syntax): literal segments matched ignoring case, {@code {name}}, {@code {name?}} (optional,
 * trailing), {@code {name=default}}, {@code {name:constraint}} and a trailing catch-all
 * {@code {*name}}. Of the constraints only {@code int}/{@code long} and {@code alpha} are checked;
 * the others are accepted and ignored. Parsed once at startup; matching does no regex and
 * allocates only the values map.
 */
final class RouteTemplate {

    private enum Kind { LITERAL, PARAMETER, CATCH_ALL }

    private enum Constraint { NONE, INTEGER, ALPHA }

    private record Segment(Kind kind, String text, Constraint constraint, boolean optional, String defaultValue) {
        /** Precedence within one position, lower wins: literal, constrained, plain, optional, catch-all. */
        int rank() {
            return switch (kind) {
                case LITERAL -> 0;
                case PARAMETER -> optional ? 3 : constraint == Constraint.NONE ? 2 : 1;
                case CATCH_ALL -> 4;
            };
        }
    }

    private final String text;
    private final Segment[] segments;

    private RouteTemplate(String text, Segment[] segments) {
        this.text = text;
        this.segments = segments;
    }

    /** The full template with its prefix, e.g. {@code api/v2/models/{model}/infer}. */
    String text() {
        return text;
    }

    /**
     * Parses {@code prefix/route}.
     *
     * @throws LocalHostException naming the function for a template the host cannot match
     */
    static RouteTemplate parse(String prefix, String route, String functionName) {
        String full = prefix.isEmpty() ? route : route.isEmpty() ? prefix : prefix + "/" + route;
        List<Segment> segments = new ArrayList<>();
        for (String raw : full.split("/")) {
            if (!raw.isEmpty()) {
                segments.add(segment(raw.trim(), full, functionName));
            }
        }
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            boolean last = i == segments.size() - 1;
            if (s.kind() == Kind.CATCH_ALL && !last) {
                throw bad(functionName, full, "a catch-all parameter must be the last segment");
            }
            if (s.optional() && !last && segments.get(i + 1).kind() != Kind.CATCH_ALL && !segments.get(i + 1).optional()) {
                throw bad(functionName, full, "only trailing parameters can be optional");
            }
        }
        return new RouteTemplate(full, segments.toArray(Segment[]::new));
    }

    private static Segment segment(String raw, String full, String functionName) {
        boolean braced = raw.startsWith("{") && raw.endsWith("}")
                && raw.indexOf('{', 1) < 0 && raw.lastIndexOf('}', raw.length() - 2) < 0;
        if (!braced) {
            if (raw.indexOf('{') >= 0 || raw.indexOf('}') >= 0) {
                throw bad(functionName, full, "segment '" + raw + "' mixes text and parameters,"
                        + " which the local host does not support");
            }
            return new Segment(Kind.LITERAL, raw, Constraint.NONE, false, null);
        }
        String inner = raw.substring(1, raw.length() - 1).trim();
        if (inner.startsWith("*")) {
            String name = inner.replaceFirst("^\\*+", "");
            int colon = name.indexOf(':');
            name = colon >= 0 ? name.substring(0, colon) : name;
            return new Segment(Kind.CATCH_ALL, checkName(name, full, functionName), Constraint.NONE, true, null);
        }
        boolean optional = inner.endsWith("?");
        if (optional) {
            inner = inner.substring(0, inner.length() - 1);
        }
        String defaultValue = null;
        int eq = inner.indexOf('=');
        if (eq >= 0) {
            defaultValue = inner.substring(eq + 1);
            inner = inner.substring(0, eq);
            optional = true;
        }
        String[] parts = inner.split(":");
        Constraint constraint = Constraint.NONE;
        for (int i = 1; i < parts.length; i++) {
            String c = parts[i].trim().toLowerCase(Locale.ROOT);
            if (c.equals("int") || c.equals("long")) {
                constraint = Constraint.INTEGER;
            } else if (c.equals("alpha")) {
                constraint = Constraint.ALPHA;
            }
        }
        return new Segment(Kind.PARAMETER, checkName(parts[0].trim(), full, functionName), constraint, optional,
                defaultValue);
    }

    private static String checkName(String name, String full, String functionName) {
        if (name.isEmpty()) {
            throw bad(functionName, full, "a parameter has no name");
        }
        return name;
    }

    private static LocalHostException bad(String functionName, String template, String why) {
        return new LocalHostException("function " + functionName + ": route " + template + ": " + why);
    }

    /**
     * Matches decoded path segments.
     *
     * @return the route values (empty when the template has no parameter), or null for no match
     */
    Map<String, String> match(String[] path) {
        Map<String, String> values = null;
        int n = path.length;
        for (int i = 0; i < segments.length; i++) {
            Segment s = segments[i];
            if (s.kind() == Kind.CATCH_ALL) {
                values = put(values, s.text(), i < n ? String.join("/", Arrays.asList(path).subList(i, n)) : "");
                return values;
            }
            if (i >= n) {
                if (!s.optional()) {
                    return null;
                }
                if (s.defaultValue() != null) {
                    values = put(values, s.text(), s.defaultValue());
                }
                continue;
            }
            String value = path[i];
            if (s.kind() == Kind.LITERAL) {
                if (!s.text().equalsIgnoreCase(value)) {
                    return null;
                }
            } else if (accepts(s.constraint(), value)) {
                values = put(values, s.text(), value);
            } else {
                return null;
            }
        }
        if (n > segments.length) {
            return null;
        }
        return values == null ? Map.of() : values;
    }

    private static Map<String, String> put(Map<String, String> values, String name, String value) {
        Map<String, String> m = values == null ? new HashMap<>(4) : values;
        m.put(name, value);
        return m;
    }

    private static boolean accepts(Constraint constraint, String value) {
        switch (constraint) {
            case NONE:
                return !value.isEmpty();
            case INTEGER:
                int start = value.startsWith("-") ? 1 : 0;
                if (value.length() == start || value.length() - start > 19) {
                    return false;
                }
                for (int i = start; i < value.length(); i++) {
                    if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                        return false;
                    }
                }
                return true;
            case ALPHA:
                if (value.isEmpty()) {
                    return false;
                }
                for (int i = 0; i < value.length(); i++) {
                    char c = value.charAt(i);
                    if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')) {
                        return false;
                    }
                }
                return true;
        }
        throw new AssertionError(constraint);
    }

    /**
     * Orders templates so that a more specific one is tried first: at the first position where
     * they differ, literal beats constrained parameter beats parameter beats optional beats
     * catch-all; then the longer template first.
     */
    static int comparePrecedence(RouteTemplate a, RouteTemplate b) {
        int n = Math.min(a.segments.length, b.segments.length);
        for (int i = 0; i < n; i++) {
            int c = Integer.compare(a.segments[i].rank(), b.segments[i].rank());
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(b.segments.length, a.segments.length);
    }

    /** The template's shape ignoring parameter names and literal case: two equal shapes are ambiguous. */
    String shape() {
        StringBuilder sb = new StringBuilder();
        for (Segment s : segments) {
            sb.append('/').append(switch (s.kind()) {
                case LITERAL -> s.text().toLowerCase(Locale.ROOT);
                case PARAMETER -> "{" + s.constraint() + (s.optional() ? "?" : "") + "}";
                case CATCH_ALL -> "{*}";
            });
        }
        return sb.toString();
    }

    /**
     * Splits a raw request path into percent-decoded segments, dropping empty ones (so a
     * trailing or doubled slash does not matter).
     */
    static String[] splitPath(String rawPath) {
        List<String> out = new ArrayList<>(8);
        int start = 0;
        int len = rawPath.length();
        while (start <= len) {
            int slash = rawPath.indexOf('/', start);
            int end = slash < 0 ? len : slash;
            if (end > start) {
                out.add(decode(rawPath, start, end));
            }
            start = end + 1;
        }
        return out.toArray(new String[0]);
    }

    private static String decode(String s, int start, int end) {
        int percent = s.indexOf('%', start);
        if (percent < 0 || percent >= end) {
            return s.substring(start, end);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(end - start);
        int i = start;
        while (i < end) {
            int hi = i + 2 < end ? Character.digit(s.charAt(i + 1), 16) : -1;
            int lo = i + 2 < end ? Character.digit(s.charAt(i + 2), 16) : -1;
            if (s.charAt(i) == '%' && hi >= 0 && lo >= 0) {
                bytes.write(hi * 16 + lo);
                i += 3;
            } else {
                int cp = s.codePointAt(i);
                bytes.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(cp);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return text;
    }
}
