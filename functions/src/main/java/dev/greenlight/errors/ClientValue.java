package dev.greenlight.errors;

/**
 * Client-provided text quoted inside an error detail or a log line is cut to a bounded length,
 * so a caller cannot make Greenlight echo (or log) megabytes of its own input.
 */
public final class ClientValue {
    public static final int MAX_QUOTED = 200;

    private ClientValue() {
    }

    /** {@code value} as is when short, else its first {@value #MAX_QUOTED} characters and an ellipsis. */
    public static String clip(String value) {
        if (value == null || value.length() <= MAX_QUOTED) {
            return value;
        }
        int end = MAX_QUOTED;
        if (Character.isHighSurrogate(value.charAt(end - 1))) {
            end--;
        }
        return value.substring(0, end) + "…";
    }
}
