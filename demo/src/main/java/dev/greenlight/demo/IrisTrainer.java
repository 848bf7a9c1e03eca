package dev.greenlight.demo;

import ai.onnx.proto.OnnxMl.ModelProto;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.evaluation.LabelEvaluation;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Trains the three {@code iris-clf} versions of the promotion demo and writes them as ONNX files plus
 * {@code models.json}. Everything is seeded, so every build produces the same bytes.
 *
 * <p>The versions share one recipe (logistic regression by SGD with AdaGrad) and differ only in the number of
 * epochs. On raw, unscaled Iris measurements that is enough to spread them around a gate floor of F1 0.85:
 * version 1 is the baseline just above it, version 2 trains longer and is clearly better, version 3 stops early
 * and falls below the floor.
 *
 * <p>Usage: {@code IrisTrainer <output directory>}.
 */
public final class IrisTrainer {

    public static final String MODEL_NAME = "iris-clf";
    public static final long SEED = 42L;
    public static final double TRAIN_FRACTION = 0.7;

    /**
     * Tribuo numbers features by sorting their names, and its ONNX export takes them in that order. The
     * {@code fN_} prefixes make the sorted order the natural column order of the data and of the serving input.
     */
    static final String[] FEATURE_NAMES = {"f0_sepal_length", "f1_sepal_width", "f2_petal_length", "f3_petal_width"};

    static final List<Recipe> RECIPES = List.of(
            new Recipe(1, 0.03, 30),
            new Recipe(2, 0.03, 100),
            new Recipe(3, 0.03, 10));

    // Held strongly: java.util.logging keeps loggers weakly, and a collected logger would lose the level.
    private static final Logger TRIBUO_LOGGER = Logger.getLogger("org.tribuo");

    private IrisTrainer() {
    }

    /** How one version is trained. */
    record Recipe(int version, double learningRate, int epochs) {

        LinearSGDTrainer trainer() {
            // A fresh trainer per call: Tribuo trainers advance their RNG on every train(), so reusing one
            // would make the second model depend on the first.
            return new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(learningRate), epochs, -1, 1, SEED);
        }

        String description() {
            return String.format(Locale.ROOT,
                    "Tribuo LinearSGDTrainer: log-loss (logistic regression), AdaGrad lr=%s, %d epochs, minibatch 1",
                    learningRate, epochs);
        }
    }

    /** A trained and evaluated version, already in its serving ONNX form. */
    public record TrainedVersion(int version, String description, double f1, double accuracy, int trainRows,
                                 int testRows, List<String> labels, byte[] onnx) {

        public String file() {
            return fileName(version);
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            // Thrown rather than System.exit: the build runs this main inside the Maven JVM.
            throw new IllegalArgumentException("usage: IrisTrainer <output directory>");
        }
        long start = System.nanoTime();
        TRIBUO_LOGGER.setLevel(Level.WARNING); // Tribuo logs every training run at INFO; one line per version is ours.
        DemoManifest manifest = writeAll(Path.of(args[0]));
        for (DemoManifest.Version v : manifest.versions()) {
            System.out.printf(Locale.ROOT, "%s v%d: f1=%s accuracy=%s -> %s (%s)%n", MODEL_NAME, v.version(),
                    v.properties().get("f1"), v.properties().get("accuracy"), v.file(), v.properties().get("trainer"));
        }
        System.out.printf(Locale.ROOT, "%s: %d versions written to %s in %d ms%n", MODEL_NAME,
                manifest.versions().size(), args[0], (System.nanoTime() - start) / 1_000_000);
    }

    public static String fileName(int version) {
        return MODEL_NAME + "-" + version + ".onnx";
    }

    public static String datasetDescription() {
        return String.format(Locale.ROOT, "UCI Iris (150 rows), stratified %d/%d split, seed %d",
                Math.round(TRAIN_FRACTION * 100), Math.round((1 - TRAIN_FRACTION) * 100), SEED);
    }

    /** Trains every version, writes {@code iris-clf-N.onnx} and {@code models.json} into {@code directory}. */
    public static DemoManifest writeAll(Path directory) throws IOException {
        Files.createDirectories(directory);
        List<DemoManifest.Version> entries = new ArrayList<>();
        for (Recipe recipe : RECIPES) {
            TrainedVersion trained = train(recipe.version());
            Files.write(directory.resolve(trained.file()), trained.onnx());
            entries.add(manifestEntry(trained));
        }
        DemoManifest manifest = new DemoManifest(MODEL_NAME, datasetDescription(), entries);
        Files.writeString(directory.resolve(DemoModels.MANIFEST_FILE), Json.pretty(manifest), StandardCharsets.UTF_8);
        return manifest;
    }

    /** Trains one version from scratch on the fixed split and evaluates it on the held-out rows. */
    public static TrainedVersion train(int version) {
        Recipe recipe = RECIPES.stream()
                .filter(r -> r.version() == version)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no recipe for version " + version));
        IrisData.Split split = IrisData.stratifiedSplit(IrisData.load(), TRAIN_FRACTION, SEED);
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> train = dataset(split.train(), factory, "iris-train");
        MutableDataset<Label> test = dataset(split.test(), factory, "iris-test");

        LinearSGDModel model = recipe.trainer().train(train);
        LabelEvaluation evaluation = new LabelEvaluator().evaluate(model, test);

        List<String> labels = outputColumnLabels(model);
        ModelProto exported = model.exportONNXModel("dev.greenlight.demo", version);
        String doc = MODEL_NAME + " v" + version + ": Iris species classifier. " + recipe.description() + ".";
        byte[] onnx = TribuoExport.forServing(exported, labels, doc).toByteArray();
        return new TrainedVersion(version, recipe.description(), evaluation.macroAveragedF1(), evaluation.accuracy(),
                train.size(), test.size(), labels, onnx);
    }

    /**
     * Label names by output column. Tribuo assigns label ids in its own (hash-driven) order, not in data or
     * alphabetical order, and the ONNX output columns follow those ids.
     */
    static List<String> outputColumnLabels(LinearSGDModel model) {
        var info = model.getOutputIDInfo();
        List<String> labels = new ArrayList<>(info.size());
        for (int id = 0; id < info.size(); id++) {
            labels.add(info.getOutput(id).getLabel());
        }
        return List.copyOf(labels);
    }

    private static MutableDataset<Label> dataset(List<IrisSample> rows, LabelFactory factory, String description) {
        MutableDataset<Label> dataset = new MutableDataset<>(new SimpleDataSourceProvenance(description, factory),
                factory);
        for (IrisSample row : rows) {
            double[] values = {row.sepalLength(), row.sepalWidth(), row.petalLength(), row.petalWidth()};
            dataset.add(new ArrayExample<>(factory.generateOutput(row.species()), FEATURE_NAMES, values));
        }
        return dataset;
    }

    private static DemoManifest.Version manifestEntry(TrainedVersion trained) {
        // String values only, as Azure ML stores model properties.
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("f1", fourDecimals(trained.f1()));
        properties.put("accuracy", fourDecimals(trained.accuracy()));
        properties.put("trainer", trained.description());
        properties.put("train_rows", Integer.toString(trained.trainRows()));
        properties.put("test_rows", Integer.toString(trained.testRows()));
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("framework", "tribuo");
        tags.put("task", "classification");
        return new DemoManifest.Version(trained.version(), trained.file(), sha256(trained.onnx()), properties, tags);
    }

    private static String fourDecimals(double value) {
        return String.format(Locale.ROOT, "%.4f", value);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime ships SHA-256", e);
        }
    }
}
