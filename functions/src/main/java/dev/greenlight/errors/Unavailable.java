package dev.greenlight.errors;

/**
 * A dependency or the model is not ready; retrying later may succeed. Open for adapters to name
 * the dependency (the store's {@code StoreUnavailable}, the registry's {@code ArmException}).
 */
public non-sealed class Unavailable extends GreenlightException {
    public Unavailable(String code, String detail) {
        super(code, detail, null);
    }

    public Unavailable(String code, String detail, Throwable cause) {
        super(code, detail, cause);
    }

    @Override
    public final Kind kind() {
        return Kind.UNAVAILABLE;
    }
}
