package dev.greenlight.store;

import dev.greenlight.errors.Conflict;

/**
 * An optimistic write lost a race: re-read, re-decide, and try again. Callers in the promotion
 * retry on it; one that reaches a caller is 409 {@code store_conflict}.
 */
public class StoreConflict extends Conflict {
    public static final String CODE = "store_conflict";

    public StoreConflict(String detail) {
        super(CODE, detail);
    }
}
