package dev.greenlight.registry.arm;

import dev.greenlight.errors.Unavailable;

/**
 * Azure ML (through ARM or blob storage) answered with an error, or could not be reached, after the
 * pipeline's retries: the registry ({@code GREENLIGHT_REGISTRY}) is unavailable, 503. The code says
 * why, from the status:
 * <ul>
 *   <li>{@code registry_unavailable}: no answer (connection, timeout: status 0), 408, 429 or 5xx;
 *   <li>{@code registry_access_denied}: 401 or 403 ({@link ArmAccessDenied}), the identity lacks a role;
 *   <li>{@code registry_not_found}: 404 where a resource had to exist (the configured workspace or
 *       registry, or a version that was just written);
 *   <li>{@code registry_rejected}: any other 4xx, ARM refused the request (e.g. 409, a version
 *       registered meanwhile).
 * </ul>
 * None of these is the caller's mistake, so none is a 4xx; all may pass once Azure ML recovers or
 * an operator fixes the role or the setting, which is why an Event Grid delivery that meets one fails
 * and is redelivered.
 */
public class ArmException extends Unavailable {
    private final int status;
    private final String errorCode;

    public ArmException(String message, int status, String errorCode, Throwable cause) {
        super(code(status), message, cause);
        this.status = status;
        this.errorCode = errorCode;
    }

    /** The Greenlight error code for an ARM or storage status (0: no response). */
    static String code(int status) {
        if (status == 401 || status == 403) {
            return "registry_access_denied";
        }
        if (status == 404) {
            return "registry_not_found";
        }
        if (status >= 400 && status < 500 && status != 408 && status != 429) {
            return "registry_rejected";
        }
        return "registry_unavailable";
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
