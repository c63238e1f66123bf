package dev.osmosis.engine.train.ldm;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.osmosis.engine.nn.OwnedTensors;
import dev.osmosis.engine.io.SafetensorsFile;
import dev.osmosis.engine.io.SafetensorsWriter;
import dev.osmosis.engine.train.TrainingProgress;
import dev.osmosis.engine.train.shapes.SceneRenderer;
import dev.osmosis.engine.train.shapes.ShapesDataset;
import dev.osmosis.engine.vae.AutoencoderKL;
import dev.osmosis.engine.vae.DiagonalGaussian;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The training scenes of the diffusion stage, encoded once by the trained autoencoder: per scene
 * its dataset index and its posterior (mean and std, unscaled), so each step draws a fresh latent
 * sample without running the encoder. Built in parts of {@link #PART_SIZE} scenes, each written
 * atomically, so an interrupted build continues with the next missing part.
 *
 * <p>The scenes are the dataset's training split from index 0 on, keeping every two-object scene
 * and every other single-object one: two-object scenes are a quarter of the dataset but carry the
 * hard part (binding each colour to its shape and place), so they make 40 % of the cache.
 */
public final class LatentCache {
    public static final int PART_SIZE = 5000;

    private final long[] indices;
    private final float[] means;
    private final float[] stds;
    private final int perScene;

    private LatentCache(long[] indices, float[] means, float[] stds, int perScene) {
        this.indices = indices;
        this.means = means;
        this.stds = stds;
        this.perScene = perScene;
    }

    /** Whether scene {@code index} of the training split is in the cache's selection. */
    public static boolean selected(ShapesDataset dataset, long index) {
        return dataset.scene(index).objects().size() == 2 || Seeds.mix(index, 7) % 2 == 0;
    }

    /** The first {@code count} selected training-split scene indices. */
    public static long[] selection(ShapesDataset dataset, int count) {
        long[] out = new long[count];
        long index = 0;
        for (int n = 0; n < count; index++) {
            if (selected(dataset, index)) {
                out[n++] = index;
            }
        }
        return out;
    }

    /** Encodes the missing parts into {@code dir}; parts already there are kept. */
    public static void build(Path dir, AutoencoderKL vae, ShapesDataset dataset, int imageSize, int count, int batch,
            long deadlineNanos, PrintStream log) {
        long[] all = selection(dataset, count);
        int parts = (count + PART_SIZE - 1) / PART_SIZE;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot create", e);
        }
        long start = System.nanoTime();
        int done = 0;
        for (int p = 0; p < parts; p++) {
            Path file = part(dir, p);
            if (Files.exists(file)) {
                continue;
            }
            if (System.nanoTime() > deadlineNanos) {
                return;
            }
            int from = p * PART_SIZE;
            int to = Math.min(count, from + PART_SIZE);
            long[] indices = java.util.Arrays.copyOfRange(all, from, to);
            encodePart(file, vae, dataset, imageSize, indices, batch);
            done++;
            double seconds = (System.nanoTime() - start) / 1e9;
            long remaining = (long) (seconds / done * (parts - p - 1));
            log.printf(Locale.ROOT, "latents part %d/%d (%d scenes) written, %.1f scenes/s, ETA %s%n", p + 1, parts,
                    to - from, (to - from) * done / seconds, TrainingProgress.clock(Duration.ofSeconds(remaining)));
        }
    }

    public static boolean complete(Path dir, int count) {
        int parts = (count + PART_SIZE - 1) / PART_SIZE;
        for (int p = 0; p < parts; p++) {
            if (!Files.exists(part(dir, p))) {
                return false;
            }
        }
        return true;
    }

    private static Path part(Path dir, int p) {
        return dir.resolve(String.format(Locale.ROOT, "part-%03d.safetensors", p));
    }

    private static void encodePart(Path file, AutoencoderKL vae, ShapesDataset dataset, int size, long[] indices,
            int batch) {
        int n = indices.length;
        List<float[]> means = new ArrayList<>();
        List<float[]> stds = new ArrayList<>();
        long[] latentShape = null;
        NDManager manager = NDManager.newBaseManager();
        try (manager) {
            for (int from = 0; from < n; from += batch) {
                int b = Math.min(batch, n - from);
                float[] pixels = new float[b * 3 * size * size];
                for (int i = 0; i < b; i++) {
                    SceneImages.write(SceneRenderer.render(dataset.scene(indices[from + i]), size), 0, 0, size, pixels,
                            i * 3 * size * size);
                }
                try (NDScope scope = new NDScope()) {
                    DiagonalGaussian posterior = vae.encode(OwnedTensors.of(manager, pixels, b, 3, size, size));
                    means.add(posterior.mean().toFloatArray());
                    stds.add(posterior.std().toFloatArray());
                    long[] s = posterior.mean().getShape().getShape();
                    latentShape = new long[] {n, s[1], s[2], s[3]};
                }
            }
        }
        SafetensorsWriter.create()
                .putLongs("indices", new long[] {n}, indices)
                .putF16("mean", latentShape, concat(means))
                .putF16("std", latentShape, concat(stds))
                .write(file);
    }

    private static float[] concat(List<float[]> parts) {
        int total = parts.stream().mapToInt(a -> a.length).sum();
        float[] out = new float[total];
        int at = 0;
        for (float[] a : parts) {
            System.arraycopy(a, 0, out, at, a.length);
            at += a.length;
        }
        return out;
    }

    /** Reads every part of a complete cache. */
    public static LatentCache load(Path dir, int count) {
        int parts = (count + PART_SIZE - 1) / PART_SIZE;
        long[] indices = new long[count];
        float[] means = null;
        float[] stds = null;
        int perScene = 0;
        int at = 0;
        for (int p = 0; p < parts; p++) {
            try (SafetensorsFile st = SafetensorsFile.open(part(dir, p))) {
                long[] idx = st.longs("indices");
                float[] m = st.floats("mean");
                float[] s = st.floats("std");
                if (means == null) {
                    perScene = m.length / idx.length;
                    means = new float[count * perScene];
                    stds = new float[count * perScene];
                }
                System.arraycopy(idx, 0, indices, at, idx.length);
                System.arraycopy(m, 0, means, at * perScene, m.length);
                System.arraycopy(s, 0, stds, at * perScene, s.length);
                at += idx.length;
            }
        }
        if (at != count) {
            throw new IllegalStateException(dir + ": the cache holds " + at + " scenes, expected " + count);
        }
        return new LatentCache(indices, means, stds, perScene);
    }

    public int size() {
        return indices.length;
    }

    public long sceneIndex(int k) {
        return indices[k];
    }

    public int perScene() {
        return perScene;
    }

    /** (mean + std * eps) of scene k into {@code out[offset ..]}, times {@code scale}. */
    public void sample(int k, float[] eps, int epsOffset, float scale, float[] out, int offset) {
        int base = k * perScene;
        for (int i = 0; i < perScene; i++) {
            out[offset + i] = (means[base + i] + stds[base + i] * eps[epsOffset + i]) * scale;
        }
    }

    /**
     * 1 / standard deviation of the latent samples, Stable Diffusion's scaling_factor rule (0.18215
     * was measured this way on SD's autoencoder), so the diffusion model sees unit-variance latents.
     */
    public double scalingFactor() {
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < means.length; i++) {
            sum += means[i];
            sumSq += (double) means[i] * means[i] + (double) stds[i] * stds[i];
        }
        double mean = sum / means.length;
        double variance = sumSq / means.length - mean * mean;
        return 1 / Math.sqrt(variance);
    }

    /** Mean of the scaled latents (reported; SD 1.x/2.x have no shift, so none is applied). */
    public double mean() {
        double sum = 0;
        for (float m : means) {
            sum += m;
        }
        return sum / means.length;
    }
}
