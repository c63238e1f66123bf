package dev.osmosis.engine.nn;

import java.util.Locale;

/**
 * The number format of the matrix work of linear layers and convolutions.
 *
 * <p>{@link #FP32} is the default and the one the parity tests hold to the reference. {@link #BF16}
 * is an explicit opt-in for speed on CPUs with bfloat16 instructions: inputs and weights are
 * rounded to bfloat16 inside libtorch (accumulation stays fp32, results come back as fp32), so it
 * cannot meet the 1e-4 parity tolerance; see docs/PERFORMANCE.md for its measured error (about
 * 1.4 % of a UNet output, 43 dB PSNR on a tiny-model image). Attention stays fp32 (see
 * {@link ScaledDotProductAttention}). Where the fused kernels are unavailable BF16 quietly
 * computes in FP32.
 *
 * <p>The setting is per thread: {@link #use} for a scope, else the system property
 * {@value #PROPERTY} ({@code fp32} or {@code bf16}), else FP32.
 */
public enum Precision {
    FP32,
    BF16;

    /** The process default, e.g. {@code -Dosmosis.precision=bf16}. */
    public static final String PROPERTY = "osmosis.precision";

    private static final ThreadLocal<Precision> CURRENT = new ThreadLocal<>();

    /** The precision of this thread: the innermost {@link #use} scope, else the system property. */
    public static Precision current() {
        Precision scoped = CURRENT.get();
        return scoped != null ? scoped : parse(System.getProperty(PROPERTY, "fp32"));
    }

    /** Computes in {@code precision} on this thread until the scope is closed. */
    public static Scope use(Precision precision) {
        Precision previous = CURRENT.get();
        CURRENT.set(precision);
        return () -> CURRENT.set(previous);
    }

    /** {@code fp32} or {@code bf16}, any case. */
    public static Precision parse(String name) {
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "fp32", "float32" -> FP32;
            case "bf16", "bfloat16" -> BF16;
            default -> throw new IllegalArgumentException("precision: expected fp32 or bf16, got '" + name + "'");
        };
    }

    /** Lower-case name, as the CLI writes it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Restores the previous precision of the thread. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
