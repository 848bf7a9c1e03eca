package dev.greenlight.errors;

/**
 * The request conflicts with the current state (an older generation, a lost race). Open for
 * adapters to name their own conflicts (the store's {@code StoreConflict}).
 */
public non-sealed class Conflict extends GreenlightException {
    public Conflict(String code, String detail) {
        super(code, detail, null);
    }

    public Conflict(String code, String detail, Throwable cause) {
        super(code, detail, cause);
    }

    @Override
    public final Kind kind() {
        return Kind.CONFLICT;
    }
}
