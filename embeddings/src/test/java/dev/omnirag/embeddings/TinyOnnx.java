package dev.omnirag.embeddings;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Writes small ONNX models without any ONNX library: ONNX files are protocol buffers (onnx.proto3's
 * ModelProto), so a few field writers are enough to express graphs with fixed weights whose outputs can be
 * worked out by hand. Field numbers follow onnx/onnx.proto.
 */
public final class TinyOnnx {

    /** ONNX TensorProto.DataType values. */
    public static final int FLOAT = 1;

    public static final int INT64 = 7;

    private TinyOnnx() {}

    /** One protobuf message under construction. */
    public static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        public Proto varint(int field, long value) {
            tag(field, 0);
            writeVarint(value);
            return this;
        }

        public Proto bytes(int field, byte[] value) {
            tag(field, 2);
            writeVarint(value.length);
            out.writeBytes(value);
            return this;
        }

        public Proto string(int field, String value) {
            return bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }

        public Proto message(int field, Proto value) {
            return bytes(field, value.toBytes());
        }

        public byte[] toBytes() {
            return out.toByteArray();
        }

        private void tag(int field, int wireType) {
            writeVarint(((long) field << 3) | wireType);
        }

        private void writeVarint(long value) {
            long v = value;
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }
    }

    /** ModelProto: ir_version 8, opset 13 of the default domain, the graph. */
    public static byte[] model(Proto graph) {
        return new Proto()
                .varint(1, 8)
                .string(2, "omnirag-tests")
                .message(7, graph)
                .message(8, new Proto().string(1, "").varint(2, 13))
                .toBytes();
    }

    /** GraphProto with the given nodes, initializers, inputs and outputs (each already a Proto). */
    public static Proto graph(String name, Proto[] nodes, Proto[] initializers, Proto[] inputs, Proto[] outputs) {
        Proto g = new Proto();
        for (Proto n : nodes) {
            g.message(1, n);
        }
        g.string(2, name);
        for (Proto t : initializers) {
            g.message(5, t);
        }
        for (Proto i : inputs) {
            g.message(11, i);
        }
        for (Proto o : outputs) {
            g.message(12, o);
        }
        return g;
    }

    /** NodeProto; attributes as already-built AttributeProtos. */
    public static Proto node(String opType, String[] inputs, String output, Proto... attributes) {
        Proto n = new Proto();
        for (String in : inputs) {
            n.string(1, in);
        }
        n.string(2, output);
        n.string(3, opType + "_" + output);
        n.string(4, opType);
        for (Proto a : attributes) {
            n.message(5, a);
        }
        return n;
    }

    /** AttributeProto of type INT. */
    public static Proto intAttribute(String name, long value) {
        return new Proto().string(1, name).varint(3, value).varint(20, 2);
    }

    /** AttributeProto of type INTS (proto2-style unpacked repeated field). */
    public static Proto intsAttribute(String name, long... values) {
        Proto a = new Proto().string(1, name);
        for (long v : values) {
            a.varint(8, v);
        }
        return a.varint(20, 7);
    }

    /** A float TensorProto initializer with raw little-endian data. */
    public static Proto floatTensor(String name, long[] dims, float[] values) {
        Proto t = new Proto();
        for (long d : dims) {
            t.varint(1, d);
        }
        t.varint(2, FLOAT);
        t.string(8, name);
        ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            buf.putFloat(v);
        }
        return t.bytes(9, buf.array());
    }

    /** An int64 TensorProto initializer (such as the axes input of ReduceSum). */
    public static Proto int64Tensor(String name, long[] dims, long[] values) {
        Proto t = new Proto();
        for (long d : dims) {
            t.varint(1, d);
        }
        t.varint(2, INT64);
        t.string(8, name);
        ByteBuffer buf = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            buf.putLong(v);
        }
        return t.bytes(9, buf.array());
    }

    /** ValueInfoProto of a tensor; a dimension is a number (fixed) or a String (symbolic, e.g. "batch"). */
    public static Proto tensorValue(String name, int elemType, Object... dims) {
        Proto shape = new Proto();
        for (Object d : dims) {
            Proto dim =
                    d instanceof String s ? new Proto().string(2, s) : new Proto().varint(1, ((Number) d).longValue());
            shape.message(1, dim);
        }
        Proto tensorType = new Proto().varint(1, elemType).message(2, shape);
        return new Proto().string(1, name).message(2, new Proto().message(1, tensorType));
    }
}
