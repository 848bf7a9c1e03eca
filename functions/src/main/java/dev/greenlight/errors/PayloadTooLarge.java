package dev.greenlight.errors;

/** The request body is larger than GREENLIGHT_MAX_BODY. */
public final class PayloadTooLarge extends GreenlightException {
    public PayloadTooLarge(String code, String detail) {
        super(code, detail, null);
    }

    public PayloadTooLarge(String code, String detail, Throwable cause) {
        super(code, detail, cause);
    }

    @Override
    public Kind kind() {
        return Kind.PAYLOAD_TOO_LARGE;
    }
}
