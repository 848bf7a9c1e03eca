package dev.greenlight.registry.arm;

import java.io.IOException;

/**
 * Azure ML (through ARM or blob storage) answered with an error, or could not be reached, after the
 * pipeline's retries. Callers treat it as "registry unavailable".
 */
public class ArmException extends IOException {
    private final int status;
    private final String errorCode;

    public ArmException(String message, int status, String errorCode, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.errorCode = errorCode;
    }

    /** The HTTP status, or 0 when no response arrived. */
    public int status() {
        return status;
    }

    /** ARM's {@code error.code} (or the storage error code), or null when the body had none. */
    public String errorCode() {
        return errorCode;
    }
}
