package dev.greenlight.store;

/**
 * The document names every {@link DocumentStore} adapter accepts, so that all of them hold the
 * same documents: relative, slash-separated, no backslash, no {@code ..}, and no segment starting
 * with a dot (the local adapter keeps its lock and temporary files under such names).
 */
public final class DocumentNames {
    private DocumentNames() {
    }

    public static boolean valid(String name) {
        return name != null && !name.isBlank() && !name.startsWith("/") && !name.contains("\\")
                && !name.contains("..") && !name.startsWith(".") && !name.contains("/.");
    }

    /** {@code name}, or IllegalArgumentException naming it. */
    public static String checked(String name) {
        if (!valid(name)) {
            throw new IllegalArgumentException("invalid document name: '" + name + "'");
        }
        return name;
    }
}
