package dev.greenlight.bench;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the built pieces are: the checkout's root (the folder with {@code bench/} and
 * {@code local/}), found from this jar's location or {@code -Dgreenlight.root}.
 */
record Project(Path root) {

    static Project locate() {
        String explicit = System.getProperty("greenlight.root");
        if (explicit != null) {
            return new Project(Path.of(explicit).toAbsolutePath().normalize());
        }
        try {
            Path here = Path.of(Project.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path p = here; p != null; p = p.getParent()) {
                if (Files.isDirectory(p.resolve("bench")) && Files.isDirectory(p.resolve("local"))) {
                    return new Project(p);
                }
            }
        } catch (URISyntaxException | SecurityException e) {
            // fall through to the working directory
        }
        return new Project(Path.of("").toAbsolutePath());
    }

    Path localJar() {
        return root.resolve("local/target/greenlight-local.jar");
    }

    Path appDir() {
        return root.resolve("functions/target/azure-functions/greenlight");
    }

    Path results() {
        return root.resolve("bench/target/results");
    }

    /** Fails with the command that builds what is missing. */
    void requireBuilt() {
        for (Path p : new Path[] {localJar(), appDir()}) {
            if (!Files.exists(p)) {
                throw new IllegalStateException(p + " is missing; build first: (cd " + root
                        + " && mvn -B -q -DskipTests package)");
            }
        }
    }
}
