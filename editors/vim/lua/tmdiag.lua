-- tmdiag for Neovim 0.7 – 0.11 and later: starts `tmdiag lsp` for tmdiag buffers.
--
--   vim.opt.runtimepath:append("/path/to/tmdiag/editors/vim")   -- before `filetype on` / plugins load
--   require("tmdiag").setup()                                     -- or setup({ cmd = { "/abs/.venv/bin/tmdiag", "lsp" } })
--
-- 0.11+: vim.lsp.config + vim.lsp.enable; 0.8 – 0.10: vim.lsp.start from a FileType autocommand;
-- 0.7: vim.lsp.start_client + vim.lsp.buf_attach_client (one client per project root).
local M = {}

M.defaults = {
  cmd = { "tmdiag", "lsp" },
  root_markers = { "tmdiag.toml", "pyproject.toml", ".git" },
}

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

function M.setup(opts)
  opts = vim.tbl_extend("force", M.defaults, opts or {})
  if vim.lsp.config and vim.lsp.enable then -- 0.11+
    vim.lsp.config("tmdiag", { cmd = opts.cmd, filetypes = { "tmdiag" }, root_markers = opts.root_markers })
    vim.lsp.enable("tmdiag")
    return
  end
  local clients = {} -- 0.7: root → client id
  vim.api.nvim_create_autocmd("FileType", {
    pattern = "tmdiag",
    callback = function(args)
      local root = M.root_dir(args.buf, opts.root_markers)
      if vim.lsp.start then -- 0.8 – 0.10: reuses a running client with the same name and root
        vim.lsp.start({ name = "tmdiag", cmd = opts.cmd, root_dir = root })
      else
        clients[root] = clients[root] or vim.lsp.start_client({ name = "tmdiag", cmd = opts.cmd, root_dir = root })
        vim.lsp.buf_attach_client(args.buf, clients[root])
      end
    end,
  })
end

return M
