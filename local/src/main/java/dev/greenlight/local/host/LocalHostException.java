package dev.greenlight.local.host;

/**
 * The local host cannot start or cannot do what was asked: a bad {@code function.json}, an
 * entry point it cannot bind, an unresolved {@code %SETTING%}, an invalid schedule, a port in
 * use. The message names the function, file or setting at fault.
 */
public class LocalHostException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public LocalHostException(String message) {
        super(message);
    }

    public LocalHostException(String message, Throwable cause) {
        super(message, cause);
    }
}
