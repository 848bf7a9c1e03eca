package dev.greenlight.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * {@code java -jar bench/target/greenlight-bench.jar p1|p2|p6|all|soak [--name value ...]}.
 * Options: {@code --host-warmup s} (P1 once, P2, soak), {@code --warmup s} (P1 per cell),
 * {@code --measure s} (P1 per cell), {@code --steady s}, {@code --flips n}, {@code --flip-every s} (P2;
 * soak: the swap pace), {@code --swaps n}, {@code --clients n} (soak), {@code --runs n},
 * {@code --child-jvm "<jvm options>"} (P6, soak), {@code --cds} (P6), {@code --keep} (leave
 * the temporary data folders). {@code all} is P1, P2 and P6; the soak runs on its own.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !List.of("p1", "p2", "p6", "all", "soak").contains(args[0])) {
            System.err.println("usage: greenlight-bench p1|p2|p6|all|soak [--host-warmup s] [--warmup s] [--measure s]"
                    + " [--steady s] [--flips n] [--flip-every s] [--swaps n] [--clients n] [--runs n]"
                    + " [--child-jvm \"<jvm options>\"] [--cds] [--keep]");
            System.exit(2);
        }
        String which = args[0];
        Options options = new Options(Arrays.asList(args).subList(1, args.length));
        Project built = Project.locate();
        built.requireBuilt();
        // The host runs from a copy: on a shared checkout a build may replace jars mid-run.
        if (!options.keep()) {
            DataFolder.deleteTempRunsOnExit();
        }
        Path snapshot = DataFolder.tempRun("host");
        Project project = built.snapshot(snapshot);
        System.out.println("host: java -jar local/target/greenlight-local.jar start --app functions/target/azure-functions/"
                + "greenlight, both copied to " + snapshot + " first");
        Machine machine = Machine.current();
        boolean all = which.equals("all");
        if (all || which.equals("p1")) {
            new ServingOverhead(project, machine, options).run();
        }
        if (all || which.equals("p2")) {
            new HotSwapUnderLoad(project, machine, options).run();
        }
        if (all || which.equals("p6")) {
            new StartToFirstPrediction(project, machine, options).run();
        }
        if (which.equals("soak")) {
            new Soak(project, machine, options).run();
        }
        // Load threads are daemons and children are closed; exit without waiting on anything else.
        System.exit(0);
    }
}
