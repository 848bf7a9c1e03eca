package dev.greenlight.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/** Loads the bundled UCI Iris copy ({@code iris.csv}) and splits it reproducibly. */
public final class IrisData {

    static final String RESOURCE = "iris.csv";
    static final String HEADER = "sepal_length,sepal_width,petal_length,petal_width,species";

    private IrisData() {
    }

    /** A train/test partition of the samples. */
    public record Split(List<IrisSample> train, List<IrisSample> test) {
    }

    /** All 150 rows in file order. */
    public static List<IrisSample> load() {
        try (InputStream in = IrisData.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + RESOURCE);
            }
            var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String header = reader.readLine();
            if (!HEADER.equals(header)) {
                throw new IllegalStateException("unexpected header in " + RESOURCE + ": " + header);
            }
            List<IrisSample> rows = new ArrayList<>();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    rows.add(parse(line));
                }
            }
            return List.copyOf(rows);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static IrisSample parse(String line) {
        String[] cells = line.split(",");
        if (cells.length != 5) {
            throw new IllegalArgumentException("expected 5 cells: " + line);
        }
        return new IrisSample(Double.parseDouble(cells[0]), Double.parseDouble(cells[1]),
                Double.parseDouble(cells[2]), Double.parseDouble(cells[3]), cells[4]);
    }

    /**
     * Stratified split: species are visited in name order, each is shuffled from one seeded generator and cut at
     * the same fraction, so train and test keep the class balance of the full data (35/15 per species for 70/30).
     * Row order inside the train part does not matter: Tribuo's SGD trainers shuffle every epoch.
     */
    public static Split stratifiedSplit(List<IrisSample> samples, double trainFraction, long seed) {
        Map<String, List<IrisSample>> bySpecies = new TreeMap<>();
        for (IrisSample s : samples) {
            bySpecies.computeIfAbsent(s.species(), k -> new ArrayList<>()).add(s);
        }
        Random random = new Random(seed);
        List<IrisSample> train = new ArrayList<>();
        List<IrisSample> test = new ArrayList<>();
        for (List<IrisSample> group : bySpecies.values()) {
            Collections.shuffle(group, random);
            int cut = (int) Math.round(group.size() * trainFraction);
            train.addAll(group.subList(0, cut));
            test.addAll(group.subList(cut, group.size()));
        }
        return new Split(List.copyOf(train), List.copyOf(test));
    }
}
