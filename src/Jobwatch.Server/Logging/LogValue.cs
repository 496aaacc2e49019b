using System.Collections;
using System.Globalization;
using System.Text.Json;

namespace Jobwatch.Server.Logging;

/// <summary>Writes a log field as the JSON type it is: numbers stay numbers, times are ISO 8601, the rest is text.</summary>
internal static class LogValue
{
    public static void Write(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case string s:
                json.WriteStringValue(s);
                break;
            case bool b:
                json.WriteBooleanValue(b);
                break;
            case int i:
                json.WriteNumberValue(i);
                break;
            case long l:
                json.WriteNumberValue(l);
                break;
            case short or byte or sbyte or ushort or uint:
                json.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case ulong ul:
                json.WriteNumberValue(ul);
                break;
            case double d when double.IsFinite(d):
                json.WriteNumberValue(d);
                break;
            case float f when float.IsFinite(f):
                json.WriteNumberValue(f);
                break;
            case decimal m:
                json.WriteNumberValue(m);
                break;
            case DateTimeOffset dto:
                json.WriteStringValue(dto.ToString("O", CultureInfo.InvariantCulture));
                break;
            case DateTime dt:
                json.WriteStringValue(dt.ToString("O", CultureInfo.InvariantCulture));
                break;
            case Enum e:
                json.WriteStringValue(e.ToString());
                break;
            case IEnumerable<string> strings:
                json.WriteStartArray();
                foreach (var s in strings)
                {
                    json.WriteStringValue(s);
                }
                json.WriteEndArray();
                break;
            case IFormattable formattable:
                // TimeSpan, Guid, NaN and the like: the invariant text, never the machine's culture.
                json.WriteStringValue(formattable.ToString(null, CultureInfo.InvariantCulture));
                break;
            case IEnumerable sequence:
                json.WriteStartArray();
                foreach (var item in sequence)
                {
                    Write(json, item is IEnumerable and not string ? item.ToString() : item);
                }
                json.WriteEndArray();
                break;
            default:
                json.WriteStringValue(value.ToString());
                break;
        }
    }
}
