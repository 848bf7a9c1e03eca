package dev.greenlight.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FootprintTest {

    @Test
    void heap_is_read_from_the_last_gc_line_of_the_log(@TempDir Path dir) throws IOException {
        Path log = Files.writeString(dir.resolve("gc.log"), String.join("\n",
                "[0.005s][info][gc] Using G1",
                "[1.200s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 24M->3M(256M) 2.101ms",
                "[9.800s][info][gc] GC(41) Pause Young (Normal) (G1 Evacuation Pause) 870M->15M(1872M) 4.330ms",
                ""));

        assertThat(Footprint.Heap.lastIn(log)).isEqualTo(new Footprint.Heap(15, 1872));
        assertThat(Footprint.Heap.lastIn(dir.resolve("missing.log"))).isEqualTo(new Footprint.Heap(-1, -1));
    }

    @Test
    void diff_names_only_the_kinds_that_changed_and_by_how_much() {
        Map<String, Integer> before = Map.of("socket", 6, "pipe", 2, "jar", 40);
        Map<String, Integer> after = Map.of("socket", 7, "pipe", 2, "Attach Listener", 1);

        assertThat(Footprint.diff(before, after)).isEqualTo("Attach Listener +1, jar -40, socket +1");
        assertThat(Footprint.diff(before, before)).isEmpty();
    }

    @Test
    void folder_counts_the_files_and_bytes_of_the_whole_tree(@TempDir Path dir) throws IOException {
        Files.write(Files.createDirectories(dir.resolve("onnxruntime-java123/lib")).resolve("libx.so"), new byte[1000]);
        Files.write(dir.resolve("onnxruntime-java123/a"), new byte[24]);
        Files.write(dir.resolve("greenlight-cache"), new byte[7]);

        assertThat(Footprint.Folder.of(dir)).isEqualTo(new Footprint.Folder(3, 1031));
        assertThat(Footprint.Folder.matching(dir, "onnxruntime-java")).isEqualTo(new Footprint.Folder(2, 1024));
        assertThat(Footprint.Folder.of(dir.resolve("missing"))).isEqualTo(new Footprint.Folder(0, 0));
    }

    @Test
    void a_running_process_is_read_from_proc_with_its_threads_by_name() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        Thread probe = new Thread(() -> awaitQuietly(release), "soak-probe-42");
        probe.start();
        try {
            Footprint self = Footprint.of(ProcessHandle.current().pid());

            assertThat(self.rssKiB()).isPositive();
            assertThat(self.rssAnonKiB() + self.rssFileKiB()).isLessThanOrEqualTo(self.rssKiB());
            assertThat(self.fds()).isEqualTo(self.fdKinds().values().stream().mapToInt(Integer::intValue).sum())
                    .isGreaterThanOrEqualTo(3);
            assertThat(self.threads()).isGreaterThanOrEqualTo(Thread.activeCount());
            // threads are counted by name without their number, so that a pool growing shows as one name
            assertThat(self.threadNames()).containsEntry("soak-probe", 1);
        } finally {
            release.countDown();
            probe.join();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
