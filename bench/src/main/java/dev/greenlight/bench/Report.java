package dev.greenlight.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Console tables and the JSON file every benchmark leaves in {@code bench/target/results/}. */
final class Report {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
;

    private Report() {
    }

    /** The header every benchmark prints first. */
    static void header(String title, Machine machine, String rerun) {
        System.out.println();
        System.out.println("== " + title);
        System.out.println("machine: " + machine.describe());
        System.out.println("rerun:   " + rerun);
        System.out.println();
    }

    static Path writeJson(Project project, String name, Object result) {
        Path file = project.results().resolve(name + ".json");
        try {
            Files.createDirectories(file.getParent());
            JSON.writeValue(file.toFile(), result);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        System.out.println("results: " + file);
        return file;
    }

    static String fmt(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    static String passOrMiss(boolean pass) {
        return pass ? "PASS" : "MISS";
    }

    /** A target next to what was measured. */
    record Target(String name, String goal, double measured, String unit, boolean pass) {
        String line() {
            return String.format(Locale.ROOT, "  %-4s %-52s measured %s %s (target %s)", passOrMiss(pass), name,
                    fmt(measured, measured < 10 ? 2 : 0), unit, goal);
        }
    }

    /** A plain text table with right-aligned columns after the first. */
    static final class Table {
        private final List<String[]> rows = new ArrayList<>();

        Table(String... header) {
            rows.add(header);
        }

        Table row(Object... cells) {
            String[] text = new String[cells.length];
            for (int i = 0; i < cells.length; i++) {
                text[i] = String.valueOf(cells[i]);
            }
            rows.add(text);
            return this;
        }

        void print() {
            int columns = rows.get(0).length;
            int[] width = new int[columns];
            for (String[] row : rows) {
                for (int i = 0; i < columns; i++) {
                    width[i] = Math.max(width[i], row[i].length());
                }
            }
            for (int r = 0; r < rows.size(); r++) {
                StringBuilder line = new StringBuilder("  ");
                for (int i = 0; i < columns; i++) {
                    String cell = rows.get(r)[i];
                    String pad = " ".repeat(width[i] - cell.length());
                    line.append(i == 0 ? cell + pad : pad + cell).append(i + 1 < columns ? "  " : "");
                }
                System.out.println(line);
                if (r == 0) {
                    System.out.println("  " + "-".repeat(line.length() - 2));
                }
            }
        }
    }
}
