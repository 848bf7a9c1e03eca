package dev.greenlight.local.host;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * How the host logs a failed invocation. A failure the app has already classified (its
 * exception names itself with a public {@code code()}, as Greenlight's error hierarchy does: a
 * store outage, a version not listed yet) is one line; anything else keeps its stack trace, since
 * only a bug needs one. An outage retried by Event Grid every few seconds then costs a line per
 * delivery, not a page.
 */
final class Failures {
    private Failures() {
    }

    static void log(Logger log, String what, Throwable failure) {
        Throwable cause = unwrap(failure);
        Optional<String> code = code(cause);
        if (code.isPresent()) {
            log.warning(what + ": " + code.get() + ": " + cause.getMessage());
        } else {
            log.log(Level.SEVERE, what, failure);
        }
    }

    private static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while ((current instanceof InvocationTargetException || current instanceof LocalHostException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    private static Optional<String> code(Throwable t) {
        try {
            Method code = t.getClass().getMethod("code");
            Object value = code.getReturnType() == String.class ? code.invoke(t) : null;
            return Optional.ofNullable((String) value);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
