package dev.greenlight.store;

import dev.greenlight.errors.Unavailable;

/**
 * The store ({@code GREENLIGHT_STORE}) could not be reached or failed: 503 {@code store_unavailable}.
 * The detail names the store, the operation, the document and why; the cause is the adapter's
 * own error. Retrying later may succeed: an Event Grid delivery that meets it fails, so Event Grid
 * redelivers.
 */
public class StoreUnavailable extends Unavailable {
    public static final String CODE = "store_unavailable";

    public StoreUnavailable(String detail, Throwable cause) {
        super(CODE, detail, cause);
    }

    /** For a more specific store failure, such as {@link UnreadableDocument}. */
    protected StoreUnavailable(String code, String detail, Throwable cause) {
        super(code, detail, cause);
    }
}
