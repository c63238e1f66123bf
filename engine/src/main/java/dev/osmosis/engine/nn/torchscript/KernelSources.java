package dev.osmosis.engine.nn.torchscript;

/**
 * The TorchScript source of the kernel modules, written as torch.jit.save prints code
 * (torch/csrc/jit/serialization/python_print.cpp) so libtorch's importer compiles it: each class
 * derives from Module and declares its attributes; every argument is typed; {@code torch.*} and
 * {@code ops.<namespace>.*} resolve to ATen operators only, so dtypes are written as their
 * c10::ScalarType numbers (6 = float32, 15 = bfloat16). Tokens are [B, N, heads * d] as in
 * ScaledDotProductAttention; SDPA wants [B, heads, N, d] with unit stride on d, which the
 * transposed views have, and its CPU kernel writes its output so that merging heads back is free.
 *
 * <p>Convolutions take their input contiguous (NCHW). Transformer2DModel hands back its map as a
 * channels-last view (tokens transposed, then reshaped), and elementwise ops and group_norm keep
 * that layout; a channels-last input makes libtorch convert the conv's weights to channels-last on
 * every call, which made the weight-bound 1280-channel convolutions at 4x4 and 8x8 three to five
 * times slower. Copying the (small) activation instead is cheap.
 */
final class KernelSources {
    private KernelSources() {}

    /** Operators of the public ATen API: fused attention, fused norms, bfloat16 linear and conv. */
    static final String CORE_CLASS = "OsmosisKernels";

    static final String CORE = """
            class OsmosisKernels(Module):
              __parameters__ = []
              __buffers__ = []
              training : bool
              def split_heads(self: __torch__.OsmosisKernels, x: Tensor, heads: int) -> Tensor:
                shape = [x.size(0), x.size(1), heads, x.size(2) // heads]
                return torch.transpose(torch.reshape(x, shape), 1, 2)
              def merge_heads(self: __torch__.OsmosisKernels, x: Tensor) -> Tensor:
                y = torch.transpose(x, 1, 2)
                return torch.reshape(y, [y.size(0), y.size(1), y.size(2) * y.size(3)])
              def attend(self: __torch__.OsmosisKernels, q: Tensor, k: Tensor, v: Tensor, heads_t: Tensor) -> Tensor:
                heads = int(heads_t)
                out = torch.scaled_dot_product_attention(self.split_heads(q, heads), self.split_heads(k, heads), self.split_heads(v, heads))
                return self.merge_heads(out)
              def attend_masked(self: __torch__.OsmosisKernels, q: Tensor, k: Tensor, v: Tensor, heads_t: Tensor, mask: Tensor) -> Tensor:
                heads = int(heads_t)
                out = torch.scaled_dot_product_attention(self.split_heads(q, heads), self.split_heads(k, heads), self.split_heads(v, heads), mask)
                return self.merge_heads(out)
              def attend_bf16(self: __torch__.OsmosisKernels, q: Tensor, k: Tensor, v: Tensor, heads_t: Tensor) -> Tensor:
                heads = int(heads_t)
                out = torch.scaled_dot_product_attention(self.split_heads(q.to(15), heads), self.split_heads(k.to(15), heads), self.split_heads(v.to(15), heads))
                return self.merge_heads(out).to(6)
              def attend_masked_bf16(self: __torch__.OsmosisKernels, q: Tensor, k: Tensor, v: Tensor, heads_t: Tensor, mask: Tensor) -> Tensor:
                heads = int(heads_t)
                out = torch.scaled_dot_product_attention(self.split_heads(q.to(15), heads), self.split_heads(k.to(15), heads), self.split_heads(v.to(15), heads), mask.to(15))
                return self.merge_heads(out).to(6)
              def group_norm(self: __torch__.OsmosisKernels, x: Tensor, groups: Tensor, w: Tensor, b: Tensor, eps: Tensor) -> Tensor:
                return torch.group_norm(x, int(groups), w, b, float(eps))
              def group_norm_silu(self: __torch__.OsmosisKernels, x: Tensor, groups: Tensor, w: Tensor, b: Tensor, eps: Tensor) -> Tensor:
                return torch.silu_(torch.group_norm(x, int(groups), w, b, float(eps)))
              def silu(self: __torch__.OsmosisKernels, x: Tensor) -> Tensor:
                return torch.silu(x)
              def linear_bf16(self: __torch__.OsmosisKernels, x: Tensor, w: Tensor, b: Tensor) -> Tensor:
                return torch.linear(x.to(15), w.to(15), b.to(15)).to(6)
              def linear_nobias_bf16(self: __torch__.OsmosisKernels, x: Tensor, w: Tensor) -> Tensor:
                return torch.linear(x.to(15), w.to(15)).to(6)
              def conv2d(self: __torch__.OsmosisKernels, x: Tensor, w: Tensor, b: Tensor, stride_t: Tensor, padding_t: Tensor) -> Tensor:
                stride = int(stride_t)
                padding = int(padding_t)
                return torch.conv2d(torch.contiguous(x), w, b, [stride, stride], [padding, padding])
              def conv2d_nobias(self: __torch__.OsmosisKernels, x: Tensor, w: Tensor, stride_t: Tensor, padding_t: Tensor) -> Tensor:
                stride = int(stride_t)
                padding = int(padding_t)
                return torch.conv2d(torch.contiguous(x), w, None, [stride, stride], [padding, padding])
              def conv2d_bf16(self: __torch__.OsmosisKernels, x: Tensor, w: Tensor, b: Tensor, stride_t: Tensor, padding_t: Tensor) -> Tensor:
                stride = int(stride_t)
                padding = int(padding_t)
                return torch.conv2d(torch.contiguous(x.to(15)), w.to(15), b.to(15), [stride, stride], [padding, padding]).to(6)
              def conv2d_nobias_bf16(self: __torch__.OsmosisKernels, x: Tensor, w: Tensor, stride_t: Tensor, padding_t: Tensor) -> Tensor:
                stride = int(stride_t)
                padding = int(padding_t)
                return torch.conv2d(torch.contiguous(x.to(15)), w.to(15), None, [stride, stride], [padding, padding]).to(6)
              def matmul_chain_bf16(self: __torch__.OsmosisKernels, a: Tensor, b: Tensor, repeats_t: Tensor) -> Tensor:
                repeats = int(repeats_t)
                b16 = b.to(15)
                c = a.to(15)
                for i in range(repeats):
                  c = torch.mm(c, b16)
                return c.to(6)
            """;

    /**
     * oneDNN's fp32 inner product (mkldnn::_linear_pointwise, the op PyTorch's inductor emits for
     * CPU linear layers). libtorch's own fp32 linear calls MKL's sgemm, which runs well below this
     * CPU's peak; oneDNN's JIT kernels use AVX-512 on any x86. An internal operator, so it lives in
     * a module of its own: where a libtorch lacks it, only this module is unavailable.
     */
    static final String ONEDNN_CLASS = "OsmosisOneDnn";

    static final String ONEDNN = """
            class OsmosisOneDnn(Module):
              __parameters__ = []
              __buffers__ = []
              training : bool
              def linear(self: __torch__.OsmosisOneDnn, x: Tensor, w: Tensor, b: Tensor) -> Tensor:
                return ops.mkldnn._linear_pointwise(x, w, b, "none", annotate(List[Optional[number]], []), "")
              def linear_nobias(self: __torch__.OsmosisOneDnn, x: Tensor, w: Tensor) -> Tensor:
                return ops.mkldnn._linear_pointwise(x, w, None, "none", annotate(List[Optional[number]], []), "")
            """;
}
