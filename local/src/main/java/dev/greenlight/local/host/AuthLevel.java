package dev.greenlight.local.host;

import java.util.Locale;

/** An HTTP function's {@code authLevel} from its {@code function.json}. */
public enum AuthLevel {
    /** No key. */
    ANONYMOUS,
    /** The function key or the admin (master) key. */
    FUNCTION,
    /** The admin (master) key only. */
    ADMIN;

    /**
     * Parses the value the Maven plugin writes ({@code "FUNCTION"}) in any case; absent means
     * {@code FUNCTION}, the Functions default.
     */
    static AuthLevel parse(String value, String functionName) {
        if (value == null || value.isBlank()) {
            return FUNCTION;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new LocalHostException("function " + functionName + ": authLevel must be anonymous,"
                    + " function or admin, was " + value);
        }
    }
}
