package dev.greenlight.registry.arm;

/** 401 or 403: the identity Greenlight runs as lacks a role on the named resource ({@code registry_access_denied}). */
public final class ArmAccessDenied extends ArmException {
    public ArmAccessDenied(String message, int status, String errorCode, Throwable cause) {
        super(message, status, errorCode, cause);
    }
}
