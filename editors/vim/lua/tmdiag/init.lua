-- tmdiag for Neovim 0.7 – 0.11 and later: starts `tmdiag lsp` for tmdiag buffers.
--
--   vim.opt.runtimepath:append("/path/to/tmdiag/editors/vim")   -- before `filetype on` / plugins load
--   require("tmdiag").setup()                                     -- options: see M.defaults
--
-- The server command, like the VS Code extension finds it: `cmd` when given, else the project's
-- virtual environment (`<root>/.venv/bin/tmdiag`, then `venv/`), else `tmdiag` on PATH. When none
-- is there, one message says so (vim.notify) and nothing starts. `:checkhealth tmdiag` shows what
-- was found.
--
-- 0.11+: vim.lsp.config + vim.lsp.enable; 0.8 – 0.10: vim.lsp.start from a FileType autocommand;
-- 0.7: vim.lsp.start_client + vim.lsp.buf_attach_client (one client per project root).
-- On attach, the keys Neovim 0.11 maps by default are mapped on older versions too (buffer-local),
-- and `gd` goes to the definition everywhere; `mappings = false` leaves keys and options alone.
local M = {}

M.defaults = {
  cmd = nil, -- e.g. { "/path/to/project/.venv/bin/tmdiag", "lsp" }; nil: found as described above
  root_markers = { "tmdiag.toml", "pyproject.toml", ".git" },
  mappings = true,
  on_attach = nil, -- function(client, bufnr), called after the plugin's own
}

M.INSTALL_HINT = "install it in the project (`make setup` in a tmdiag checkout, or "
  .. "`python3 -m venv .venv && .venv/bin/pip install <tmdiag wheel>`), "
  .. "or pass its path: require('tmdiag').setup({ cmd = { '/path/to/tmdiag', 'lsp' } })"

local function dirname(path)
  return vim.fn.fnamemodify(path, ":p:h")
end

-- The nearest folder above the buffer's file holding one of the markers, else the file's folder.
function M.root_dir(bufnr, markers)
  local name = vim.api.nvim_buf_get_name(bufnr)
  local start = name ~= "" and dirname(name) or vim.fn.getcwd()
  if vim.fs and vim.fs.find then -- 0.8+
    local found = vim.fs.find(markers, { path = start, upward = true })[1]
    return found and dirname(found) or start
  end
  local dir = start
  while true do
    for _, marker in ipairs(markers) do
      local candidate = dir .. "/" .. marker
      if vim.fn.filereadable(candidate) == 1 or vim.fn.isdirectory(candidate) == 1 then
        return dir
      end
    end
    local parent = vim.fn.fnamemodify(dir, ":h")
    if parent == dir then
      return start
    end
    dir = parent
  end
end

-- The command line of the server for a project root, and where it came from; nil and why not.
function M.command(root, opts)
  opts = opts or M.options or M.defaults
  if opts.cmd then
    if vim.fn.executable(opts.cmd[1]) == 1 then
      return opts.cmd, "setup({ cmd = … })"
    end
    return nil, "the command given to setup({ cmd = … }) is not executable: " .. tostring(opts.cmd[1])
  end
  local windows = vim.fn.has("win32") == 1
  for _, venv in ipairs({ ".venv", "venv" }) do
    local candidate = root .. "/" .. venv .. (windows and "/Scripts/tmdiag.exe" or "/bin/tmdiag")
    if vim.fn.executable(candidate) == 1 then
      return { candidate, "lsp" }, "the project's " .. venv
    end
  end
  if vim.fn.executable("tmdiag") == 1 then
    return { vim.fn.exepath("tmdiag"), "lsp" }, "PATH"
  end
  return nil, "no server found (neither " .. root .. "/.venv/bin/tmdiag nor tmdiag on PATH): " .. M.INSTALL_HINT
end

local told = {}
local function tell(message) -- once per message and session: not for every buffer
  if not told[message] then
    told[message] = true
    vim.schedule(function() -- after the file is shown, outside the autocommand (no "Error detected …")
      vim.notify("tmdiag: " .. message, vim.log.levels.WARN)
    end)
  end
end

-- Keys and options Neovim 0.11 gives every LSP buffer, on the versions that lack them; `gd` too.
local function attach(client, bufnr, opts)
  if opts.mappings then
    for option, value in pairs({ omnifunc = "v:lua.vim.lsp.omnifunc", tagfunc = "v:lua.vim.lsp.tagfunc" }) do
      if vim.bo[bufnr][option] == "" then -- 0.8+ set these themselves
        vim.bo[bufnr][option] = value
      end
    end
    local keys = { { "gd", vim.lsp.buf.definition, "go to definition" } }
    if vim.fn.has("nvim-0.10") == 0 then
      table.insert(keys, { "K", vim.lsp.buf.hover, "hover" })
    end
    if vim.fn.has("nvim-0.11") == 0 then
      table.insert(keys, { "grn", vim.lsp.buf.rename, "rename" })
      table.insert(keys, { "gra", vim.lsp.buf.code_action, "code action" })
      table.insert(keys, { "grr", vim.lsp.buf.references, "references" })
      table.insert(keys, { "gO", vim.lsp.buf.document_symbol, "outline" })
    end
    for _, key in ipairs(keys) do
      if vim.fn.maparg(key[1], "n", false, true).buffer ~= 1 then -- a buffer-local mapping of yours stays
        vim.keymap.set("n", key[1], key[2], { buffer = bufnr, desc = "tmdiag: " .. key[3] })
      end
    end
  end
  if opts.on_attach then
    opts.on_attach(client, bufnr)
  end
end

function M.setup(opts)
  opts = vim.tbl_extend("force", M.defaults, opts or {})
  M.options = opts
  local function on_attach(client, bufnr)
    attach(client, bufnr, opts)
  end
  if vim.lsp.config and vim.lsp.enable then -- 0.11+
    local last_root
    vim.lsp.config("tmdiag", {
      filetypes = { "tmdiag" },
      root_dir = function(bufnr, on_dir)
        local root = M.root_dir(bufnr, opts.root_markers)
        local cmd, why = M.command(root, opts)
        if cmd then
          last_root = root
          on_dir(root)
        else
          tell(why)
        end
      end,
      cmd = function(dispatchers, config)
        local root = config and config.root_dir or last_root or vim.fn.getcwd()
        local cmd = M.command(root, opts)
        return vim.lsp.rpc.start(cmd, dispatchers, config and { cwd = config.cmd_cwd, env = config.cmd_env } or nil)
      end,
      on_attach = on_attach,
    })
    vim.lsp.enable("tmdiag")
    return
  end
  local clients = {} -- 0.7: root → client id
  vim.api.nvim_create_autocmd("FileType", {
    pattern = "tmdiag",
    callback = function(args)
      local root = M.root_dir(args.buf, opts.root_markers)
      local cmd, why = M.command(root, opts)
      if not cmd then
        tell(why)
        return
      end
      local config = { name = "tmdiag", cmd = cmd, root_dir = root, on_attach = on_attach }
      if vim.lsp.start then -- 0.8 – 0.10: reuses a running client with the same name and root
        vim.lsp.start(config)
        return
      end
      clients[root] = clients[root] or vim.lsp.start_client(config)
      if clients[root] then
        vim.lsp.buf_attach_client(args.buf, clients[root])
      else
        tell("could not start " .. table.concat(cmd, " ") .. " (see :LspLog)")
      end
    end,
  })
end

return M
