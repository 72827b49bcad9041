// Test harness: prints the generated ArenaLayout's layouts for the seeds given, one line each, so the test can
// compare them with world/layouts.py: "seed walls... | open bits | distances from cell 0".
using System;
using System.Globalization;
using System.Text;

public static class LayoutHarness
{
    public static void Main(string[] args)
    {
        var layout = new ArenaLayout();
        foreach (string arg in args)
        {
            layout.Generate(ulong.Parse(arg, CultureInfo.InvariantCulture));
            var line = new StringBuilder();
            for (int k = 0; k < 4 * layout.WallCount; k++)
            {
                line.Append(layout.Walls[k].ToString("R", CultureInfo.InvariantCulture)).Append(' ');
            }
            line.Append('|');
            foreach (bool open in layout.Open)
            {
                line.Append(open ? '1' : '0');
            }
            line.Append('|');
            foreach (int d in layout.Distances(new int[] { 0 }))
            {
                line.Append(' ').Append(d);
            }
            Console.WriteLine(line.ToString());
        }
    }
}
