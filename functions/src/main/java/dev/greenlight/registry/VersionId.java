package dev.greenlight.registry;

import dev.greenlight.errors.BadRequest;
import dev.greenlight.errors.ClientValue;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one rule for version identifiers that reach the registry, the ledger or a file name.
 * Azure ML versions are numbers or short strings; anything else (a path such as
 * {@code ../../x}, an absolute path, percent-encoded traversal, an empty or over-long value)
 * is refused before it can be used to build a path or a document name.
 */
public final class VersionId {
    public static final int MAX_LENGTH = 64;
    private static final Pattern RULE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0," + (MAX_LENGTH - 1) + "}");

    private VersionId() {
    }

    public static boolean isValid(String version) {
        return problem(version).isEmpty();
    }

    /** Why {@code version} is not a valid version id, or empty when it is. */
    public static Optional<String> problem(String version) {
        if (version == null || version.isEmpty()) {
            return Optional.of("the version is empty");
        }
        if (version.length() > MAX_LENGTH) {
            return Optional.of("the version is longer than " + MAX_LENGTH + " characters");
        }
        if (!RULE.matcher(version).matches() || version.contains("..")) {
            return Optional.of("version '" + ClientValue.clip(version) + "' is not a valid version id"
                    + " (letters, digits, '.', '_', '-', starting with a letter or digit, no '..')");
        }
        return Optional.empty();
    }

    /** {@code version} itself when valid, else a 400 {@code invalid_version} naming it. */
    public static String require(String version) {
        problem(version).ifPresent(reason -> {
            throw new BadRequest("invalid_version", reason);
        });
        return version;
    }
}
