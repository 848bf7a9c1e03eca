package dev.greenlight.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class IrisDataTest {

    @Test
    void bundled_data_has_150_rows_with_50_per_species() {
        List<IrisSample> rows = IrisData.load();

        assertThat(rows).hasSize(150);
        assertThat(countBySpecies(rows)).containsOnly(
                Map.entry("Iris-setosa", 50L), Map.entry("Iris-versicolor", 50L), Map.entry("Iris-virginica", 50L));
        assertThat(rows.get(0)).isEqualTo(new IrisSample(5.1, 3.5, 1.4, 0.2, "Iris-setosa"));
        assertThat(rows.get(149)).isEqualTo(new IrisSample(5.9, 3.0, 5.1, 1.8, "Iris-virginica"));
    }

    @Test
    void split_keeps_35_train_and_15_test_rows_per_species() {
        List<IrisSample> rows = IrisData.load();
        IrisData.Split split = IrisData.stratifiedSplit(rows, 0.7, 42L);

        assertThat(split.train()).hasSize(105);
        assertThat(split.test()).hasSize(45);
        assertThat(countBySpecies(split.train()).values()).containsOnly(35L);
        assertThat(countBySpecies(split.test()).values()).containsOnly(15L);
        // Together they are exactly the data set; compared as multisets because Iris has duplicate rows.
        assertThat(Stream.concat(split.train().stream(), split.test().stream())).containsExactlyInAnyOrderElementsOf(rows);
    }

    @Test
    void split_depends_only_on_the_seed() {
        List<IrisSample> rows = IrisData.load();

        assertThat(IrisData.stratifiedSplit(rows, 0.7, 42L)).isEqualTo(IrisData.stratifiedSplit(rows, 0.7, 42L));
        assertThat(IrisData.stratifiedSplit(rows, 0.7, 43L).test())
                .isNotEqualTo(IrisData.stratifiedSplit(rows, 0.7, 42L).test());
    }

    private static Map<String, Long> countBySpecies(List<IrisSample> rows) {
        return rows.stream().collect(Collectors.groupingBy(IrisSample::species, Collectors.counting()));
    }
}
