package main

import (
	"encoding/base64"
	"fmt"
	"path"
	"sort"
	"strings"
)

// fileSet is the request's files by clean, repository-relative, "/"-separated path.
type fileSet struct {
	files map[string][]byte
	dirs  map[string]bool // every folder that holds a file, at any depth ("" is the root)
}

func newFileSet(text map[string]string, binary map[string]string) (*fileSet, error) {
	fs := &fileSet{files: map[string][]byte{}, dirs: map[string]bool{"": true}}
	for p, c := range text {
		clean, err := cleanRel(p)
		if err != nil {
			return nil, err
		}
		fs.add(clean, []byte(c))
	}
	for p, c := range binary {
		clean, err := cleanRel(p)
		if err != nil {
			return nil, err
		}
		data, err := base64.StdEncoding.DecodeString(c)
		if err != nil {
			return nil, fmt.Errorf("binary file %s: not base64: %w", p, err)
		}
		fs.add(clean, data)
	}
	return fs, nil
}

func (fs *fileSet) add(p string, data []byte) {
	fs.files[p] = data
	for d := path.Dir(p); ; d = path.Dir(d) {
		if d == "." {
			break
		}
		fs.dirs[d] = true
	}
}

// cleanRel makes p a clean relative path; "" stands for the repository root.
func cleanRel(p string) (string, error) {
	p = strings.ReplaceAll(p, "\\", "/")
	c := path.Clean("/" + p)
	if c == "/" {
		return "", nil
	}
	if strings.Contains(p, "\x00") {
		return "", fmt.Errorf("path %q: NUL byte", p)
	}
	return c[1:], nil
}

func (fs *fileSet) isFile(p string) bool { _, ok := fs.files[p]; return ok }
func (fs *fileSet) isDir(p string) bool  { return fs.dirs[p] }

// join resolves rel against dir the way a relative path in a file would be; ok is
// false when the result climbs out of the repository.
func join(dir, rel string) (string, bool) {
	c := path.Clean(path.Join("/", dir, rel))
	// path.Join("/", "..") is "/": detect climbing out by counting.
	depth := 0
	for _, part := range strings.Split(path.Join(dir, rel), "/") {
		switch part {
		case "..":
			depth--
		case ".", "":
		default:
			depth++
		}
		if depth < 0 {
			return "", false
		}
	}
	if c == "/" {
		return "", true
	}
	return c[1:], true
}

// under lists the files below dir (all of them for ""), as paths relative to dir.
func (fs *fileSet) under(dir string) []string {
	var out []string
	prefix := dir + "/"
	for p := range fs.files {
		if dir == "" {
			out = append(out, p)
		} else if strings.HasPrefix(p, prefix) {
			out = append(out, p[len(prefix):])
		}
	}
	sort.Strings(out)
	return out
}

// children returns the names of the entries directly inside dir, sorted by name (as
// os.ReadDir and filepath.Walk order them), and whether each is a folder.
func (fs *fileSet) children(dir string) ([]string, map[string]bool) {
	names := map[string]bool{}
	for _, rel := range fs.under(dir) {
		first, rest, isDir := strings.Cut(rel, "/")
		_ = rest
		if isDir {
			names[first] = true
		} else if _, seen := names[first]; !seen {
			names[first] = false
		}
	}
	list := make([]string, 0, len(names))
	for n := range names {
		list = append(list, n)
	}
	sort.Strings(list)
	return list, names
}
