package dev.greenlight.store;

/** The store could not be reached or failed; the operation may be retried later. */
public class StoreUnavailable extends RuntimeException {
    public StoreUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
