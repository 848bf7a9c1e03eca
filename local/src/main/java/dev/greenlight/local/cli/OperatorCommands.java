package dev.greenlight.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The operator's commands against a running Greenlight: status, decisions, promote, rollback. */
final class OperatorCommands {
    private OperatorCommands() {
    }

    /** Runs a request; prints the answer; maps failures to exit codes (4 unreachable, 5 refused). */
    abstract static class Base implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        HostOptions host;

        abstract int run(HostClient client, PrintWriter out);

        @Override
        public Integer call() {
            try {
                return run(host.client(), spec.commandLine().getOut());
            } catch (HostClient.Failure f) {
                spec.commandLine().getErr().println("greenlight: " + f.getMessage());
                return f.exitCode;
            }
        }

        /** Posts to an admin route that answers with a decision, and prints it. */
        int decide(HostClient client, PrintWriter out, String path, ObjectNode body) {
            HttpResponse<String> response = client.post(path, body.toString(), "admin.key");
            if (response.statusCode() != 200) {
                return refused(response, client);
            }
            Printer.decision(out, client.json(response));
            return 0;
        }

        int refused(HttpResponse<String> response, HostClient client) {
            JsonNode error = client.json(response);
            spec.commandLine().getErr().printf("greenlight: HTTP %d %s: %s%n", response.statusCode(),
                    error.path("error").asText(), error.path("detail").asText());
            return response.statusCode() == 404 ? 2 : 5;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "What the running Greenlight serves.")
    static final class Status extends Base {
        @Override
        int run(HostClient client, PrintWriter out) {
            HttpResponse<String> response = client.get("/api/status", "function.key");
            if (response.statusCode() != 200) {
                return refused(response, client);
            }
            out.println(client.json(response).toPrettyString());
            return 0;
        }
    }

    @Command(name = "decisions", mixinStandardHelpOptions = true, description = "The most recent decisions, newest first.")
    static final class Decisions extends Base {
        @Option(names = "--model", description = "Model (default: the first served).")
        String model;

        @Option(names = "--limit", defaultValue = "10", description = "How many (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        int run(HostClient client, PrintWriter out) {
            HttpResponse<String> response = client.get("/api/decisions?limit=" + limit
                    + (model == null ? "" : "&model=" + model), "function.key");
            if (response.statusCode() != 200) {
                return refused(response, client);
            }
            for (JsonNode d : client.json(response).path("decisions")) {
                Printer.decision(out, d);
            }
            return 0;
        }
    }

    @Command(name = "promote", mixinStandardHelpOptions = true,
            description = "Approve a pending candidate, or promote a version that passes the gate (--force: even if not).")
    static final class Promote extends Base {
        @Option(names = "--model", defaultValue = "iris-clf", description = "Model (default: ${DEFAULT-VALUE}).")
        String model;

        @Option(names = "--version", required = true, description = "The version to make the baseline.")
        String version;

        @Option(names = "--force", description = "Promote even when the gate rejects it (recorded as forced).")
        boolean force;

        @Override
        int run(HostClient client, PrintWriter out) {
            ObjectNode body = HostClient.JSON.createObjectNode().put("model", model).put("version", version)
                    .put("force", force);
            return decide(client, out, "/api/promote", body);
        }
    }

    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = "Return to the previous baseline, or to --to VERSION.")
    static final class Rollback extends Base {
        @Option(names = "--model", defaultValue = "iris-clf", description = "Model (default: ${DEFAULT-VALUE}).")
        String model;

        @Option(names = "--to", description = "The version to return to (default: the previous baseline).")
        String to;

        @Override
        int run(HostClient client, PrintWriter out) {
            ObjectNode body = HostClient.JSON.createObjectNode().put("model", model);
            if (to != null) {
                body.put("toVersion", to);
            }
            return decide(client, out, "/api/rollback", body);
        }
    }
}
