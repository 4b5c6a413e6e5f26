using System.Buffers.Binary;
using System.IO.Compression;

namespace FastMlp;

/// <summary>
/// Reads IDX files (the MNIST format: big-endian header, magic 0x00 0x00 type rank, then rank 32-bit
/// dimensions, then unsigned bytes), gzip-compressed or raw. Every size read from the file is bounded
/// before it is used; errors name the file and what was wrong.
/// </summary>
public static class IdxReader
{
    // Bounds for untrusted headers: MNIST-like data, not arbitrary tensors.
    private const int MaxRank = 4;
    private const long MaxElements = 1L << 31;

    /// <summary>Reads an unsigned-byte IDX tensor; returns its dimensions and data (row-major).</summary>
    public static (int[] Dimensions, byte[] Data) Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using FileStream file = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[2];
        file.ReadExactly(magic);
        file.Position = 0;
        // gzip streams start with 1f 8b; IDX magic starts with 00 00.
        using Stream stream = magic[0] == 0x1f && magic[1] == 0x8b ? new GZipStream(file, CompressionMode.Decompress) : file;
        return Read(stream, path);
    }

    /// <summary>Reads an unsigned-byte IDX tensor from an uncompressed stream; <paramref name="name"/> is used in error messages.</summary>
    public static (int[] Dimensions, byte[] Data) Read(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> header = stackalloc byte[4];
        ReadOrThrow(stream, header, name, "the 4-byte header");
        if (header[0] != 0 || header[1] != 0)
        {
            throw new InvalidDataException($"{name}: not an IDX file (magic bytes {header[0]:x2} {header[1]:x2}, expected 00 00).");
        }
        if (header[2] != 0x08)
        {
            throw new InvalidDataException($"{name}: IDX element type 0x{header[2]:x2} is not supported (only 0x08, unsigned byte).");
        }
        int rank = header[3];
        if (rank < 1 || rank > MaxRank)
        {
            throw new InvalidDataException($"{name}: IDX rank {rank} is outside [1, {MaxRank}].");
        }
        var dimensions = new int[rank];
        long elements = 1;
        Span<byte> size = stackalloc byte[4];
        for (int d = 0; d < rank; d++)
        {
            ReadOrThrow(stream, size, name, $"dimension {d}");
            uint value = BinaryPrimitives.ReadUInt32BigEndian(size);
            if (value == 0 || value > int.MaxValue)
            {
                throw new InvalidDataException($"{name}: dimension {d} is {value}; it must be in [1, {int.MaxValue}].");
            }
            dimensions[d] = (int)value;
            elements *= value;
            if (elements > MaxElements || elements > Array.MaxLength)
            {
                throw new InvalidDataException($"{name}: the header declares more than {Math.Min(MaxElements, Array.MaxLength)} elements.");
            }
        }
        var data = new byte[elements];
        ReadOrThrow(stream, data, name, $"{elements} data bytes");
        return (dimensions, data);
    }

    /// <summary>
    /// Loads an MNIST-style image/label pair as a classification dataset: pixels scaled to [0, 1] (÷255),
    /// 10 classes named "0"…"9" (or as many as the largest label + 1 if more).
    /// </summary>
    public static Dataset<T> LoadImagesAndLabels<T>(string imagesPath, string labelsPath) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        (int[] imageDims, byte[] pixels) = Read(imagesPath);
        (int[] labelDims, byte[] labelBytes) = Read(labelsPath);
        if (imageDims.Length < 2)
        {
            throw new InvalidDataException($"{imagesPath}: images need rank ≥ 2 (count, pixels…), but the rank is {imageDims.Length}.");
        }
        if (labelDims.Length != 1 || labelDims[0] != imageDims[0])
        {
            throw new InvalidDataException($"{labelsPath}: expected one label per image ({imageDims[0]}), but the label tensor has shape [{string.Join(", ", labelDims)}].");
        }
        int features = pixels.Length / imageDims[0];
        var x = new T[pixels.Length];
        T scale = T.One / T.CreateTruncating(255);
        for (int i = 0; i < pixels.Length; i++)
        {
            x[i] = T.CreateTruncating(pixels[i]) * scale;
        }
        var labels = new int[labelBytes.Length];
        int classes = 10;
        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = labelBytes[i];
            classes = Math.Max(classes, labels[i] + 1);
        }
        return Dataset<T>.ForClassification(x, labels, features, classes);
    }

    private static void ReadOrThrow(Stream stream, Span<byte> buffer, string name, string what)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int read = stream.Read(buffer[total..]);
            if (read == 0)
            {
                throw new InvalidDataException($"{name}: file ends after {total} of {buffer.Length} bytes of {what}.");
            }
            total += read;
        }
    }
}
