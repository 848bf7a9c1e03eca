package dev.greenlight.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * Where the built pieces are: the checkout's root (the folder with {@code bench/} and
 * {@code local/}), found from this jar's location or {@code -Dgreenlight.root}; the local host's
 * jar and the staged app, either in place or in a snapshot.
 */
record Project(Path root, Path localJar, Path appDir) {

    static Project locate() {
        Path root = findRoot();
        return new Project(root, root.resolve("local/target/greenlight-local.jar"),
                root.resolve("functions/target/azure-functions/greenlight"));
    }

    private static Path findRoot() {
        String explicit = System.getProperty("greenlight.root");
        if (explicit != null) {
            return Path.of(explicit).toAbsolutePath().normalize();
        }
        try {
            Path here = Path.of(Project.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path p = here; p != null; p = p.getParent()) {
                if (Files.isDirectory(p.resolve("bench")) && Files.isDirectory(p.resolve("local"))) {
                    return p;
                }
            }
        } catch (URISyntaxException | SecurityException e) {
            // fall through to the working directory
        }
        return Path.of("").toAbsolutePath();
    }

    Path results() {
        return root.resolve("bench/target/results");
    }

    /** Fails with the command that builds what is missing. */
    void requireBuilt() {
        for (Path p : new Path[] {localJar, localJar.resolveSibling("lib"), appDir}) {
            if (!Files.exists(p)) {
                throw new IllegalStateException(p + " is missing; build first: (cd " + root
                        + " && mvn -B -q -DskipTests package)");
            }
        }
    }

    /**
     * Copies the host's jar with its {@code lib/} and the staged app into {@code dir}, so that a
     * build running meanwhile cannot replace jars under a running host.
     */
    Project snapshot(Path dir) {
        Path local = dir.resolve("local");
        Path app = dir.resolve("app");
        copyTree(localJar.resolveSibling("lib"), local.resolve("lib"));
        copyTree(localJar, local.resolve(localJar.getFileName()));
        copyTree(appDir, app);
        return new Project(root, local.resolve(localJar.getFileName()), app);
    }

    private static void copyTree(Path from, Path to) {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path source : (Iterable<Path>) all::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + from + " to " + to, e);
        }
    }
}
