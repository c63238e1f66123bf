package dev.osmosis.engine.nn.torchscript;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

class TorchScriptArchiveTest {
    private static final String DOUBLER = """
            class Doubler(Module):
              __parameters__ = []
              __buffers__ = []
              training : bool
              cache : List[Tensor]
              def forward(self: __torch__.Doubler, x: Tensor) -> Tensor:
                return torch.mul(x, 2.0)
              def scaled(self: __torch__.Doubler, x: Tensor, factor: Tensor, offset: Tensor) -> Tensor:
                return torch.add(torch.mul(x, float(factor)), int(offset))
              def cached(self: __torch__.Doubler) -> int:
                return len(self.cache)
            """;

    @Test
    void archiveHasTheLayoutTorchJitLoadReads() throws IOException {
        byte[] archive = TorchScriptArchive.module("Doubler", DOUBLER, List.of("cache"));
        List<String> names = new ArrayList<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                names.add(e.getName());
                assertEquals(ZipEntry.STORED, e.getMethod(), e.getName());
                if (e.getName().endsWith("/version")) {
                    assertEquals("10\n", new String(zip.readAllBytes(), StandardCharsets.US_ASCII));
                }
            }
        }
        // one top folder (the reader takes the archive name from the first entry), version first
        assertEquals(List.of("osmosis/version", "osmosis/code/__torch__.py", "osmosis/constants.pkl", "osmosis/data.pkl"),
                names);
    }

    @Test
    void moduleStateIsPickledAsTorchPicklesAModule() {
        byte[] pkl = TorchScriptArchive.moduleState("M", List.of("w"));
        // PROTO 2, GLOBAL '__torch__ M', EMPTY_TUPLE, NEWOBJ, EMPTY_DICT, MARK,
        // 'training' NEWFALSE, 'w' build_tensorlist(([],)), SETITEMS, BUILD, STOP
        String expected = "8002" + hex("c__torch__\nM\n") + "29" + "81" + "7d" + "28"
                + "58" + "08000000" + hex("training") + "89"
                + "58" + "01000000" + hex("w") + hex("ctorch.jit._pickle\nbuild_tensorlist\n") + "5d" + "85" + "52"
                + "75" + "62" + "2e";
        assertEquals(expected, HexFormat.of().formatHex(pkl));
    }

    @Test
    void generatedArchiveLoadsAndRunsItsMethods() {
        try (NDManager manager = NDManager.newBaseManager();
                ScriptModule module = ScriptModule.load(TorchScriptArchive.module("Doubler", DOUBLER, List.of("cache")),
                        manager)) {
            NDArray x = manager.create(new float[] {1, -2, 3.5f}, new Shape(3));
            assertArrayEquals(new float[] {2, -4, 7}, module.call("forward", x).toFloatArray());
            assertArrayEquals(new float[] {1.5f, 0, 2.75f}, module.call("scaled", x, 0.5, 1L).toFloatArray());
        }
    }

    @Test
    void invalidSourceFailsToLoadWithTorchScriptsMessage() {
        try (NDManager manager = NDManager.newBaseManager()) {
            byte[] broken = TorchScriptArchive.module("Broken", """
                    class Broken(Module):
                      __parameters__ = []
                      __buffers__ = []
                      training : bool
                      def forward(self: __torch__.Broken, x: Tensor) -> Tensor:
                        return torch.no_such_operator(x)
                    """, List.of());
            RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                    () -> ScriptModule.load(broken, manager));
            assertTrue(e.getMessage().contains("no_such_operator"), e.getMessage());
        }
    }

    private static String hex(String ascii) {
        return HexFormat.of().formatHex(ascii.getBytes(StandardCharsets.US_ASCII));
    }
}
