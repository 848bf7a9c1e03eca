package dev.greenlight.demo;

/**
 * One row of the Iris data: four measurements in centimetres and the species label as spelled in the source file.
 */
public record IrisSample(double sepalLength, double sepalWidth, double petalLength, double petalWidth, String species) {

    /** The measurements in the serving column order, the order of the exported models' {@code features} input. */
    public float[] features() {
        return new float[] {(float) sepalLength, (float) sepalWidth, (float) petalLength, (float) petalWidth};
    }
}
