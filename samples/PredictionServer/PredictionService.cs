using System.Globalization;
using System.Numerics.Tensors;
using FastMlp;

namespace PredictionServer;

/// <summary>
/// Answers one request — a CSV line of features — with "class,probability" for a classifier or the
/// predicted values for a regression, without allocating: features are parsed into a buffer the
/// service owns, the model writes into another, and the answer is formatted into the caller's span.
/// One service per thread (the buffers are its state); the <see cref="InferenceModel{T}"/> itself is
/// immutable and can be shared by all of them.
/// </summary>
public sealed class PredictionService
{
    private readonly InferenceModel<float> _model;
    private readonly float[] _features;
    private readonly float[] _outputs;
    private readonly string[]? _classNames;

    public PredictionService(InferenceModel<float> model)
    {
        _model = model;
        _features = new float[model.InputCount];
        _outputs = new float[model.OutputCount];
        _classNames = model.ClassNames?.ToArray();
    }

    /// <summary>Writes the answer to <paramref name="request"/> into <paramref name="response"/>; returns its length.</summary>
    public int Handle(ReadOnlySpan<char> request, Span<char> response)
    {
        int count = 0;
        foreach (Range field in request.Split(','))
        {
            ReadOnlySpan<char> text = request[field].Trim();
            if (count == _features.Length)
            {
                return Error(response, $"expected {_features.Length} features, got more");
            }
            if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _features[count]))
            {
                return Error(response, $"feature {count + 1} is not a number");
            }
            count++;
        }
        if (count != _features.Length)
        {
            return Error(response, $"expected {_features.Length} features, got {count}");
        }

        _model.Predict(_features, _outputs);

        int written;
        if (_classNames is { Length: > 0 } names)
        {
            bool binary = _outputs.Length == 1;
            int best = binary ? (_outputs[0] > 0.5f ? 1 : 0) : TensorPrimitives.IndexOfMax(_outputs);
            float probability = binary ? (best == 1 ? _outputs[0] : 1 - _outputs[0]) : _outputs[best];
            // Written piece by piece: TryWrite with a format provider allocates 24 bytes per call on .NET 10.
            names[best].CopyTo(response);
            response[names[best].Length] = ',';
            probability.TryFormat(response[(names[best].Length + 1)..], out written, "G6", CultureInfo.InvariantCulture);
            return names[best].Length + 1 + written;
        }
        int length = 0;
        for (int i = 0; i < _outputs.Length; i++)
        {
            if (i > 0)
            {
                response[length++] = ',';
            }
            _outputs[i].TryFormat(response[length..], out written, "G7", CultureInfo.InvariantCulture);
            length += written;
        }
        return length;
    }

    private static int Error(Span<char> response, ReadOnlySpan<char> message)
    {
        response.TryWrite(CultureInfo.InvariantCulture, $"error: {message}", out int written);
        return written;
    }
}
