package dev.greenlight.store;

/** An optimistic write lost a race: re-read, re-decide, and try again. */
public class StoreConflict extends RuntimeException {
    public StoreConflict(String message) {
        super(message);
    }
}
